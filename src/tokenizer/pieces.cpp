#include "tokenizer/pieces.h"

#include <algorithm>

namespace servebench::tokenizer {

void PieceList::SplitOne(const Piece& p, SplitBehavior behavior, bool invert) {
  // Parts in order, covering the piece: gaps (not matched) and matches.
  struct Part {
    uint32_t begin, end;
    bool matched;
  };
  thread_local std::vector<Part> parts;
  thread_local std::vector<Part> kept;
  parts.clear();
  uint32_t prev = 0, size = p.end - p.begin;
  for (const Match& m : matches_) {
    if (m.begin != prev) parts.push_back({prev, m.begin, invert});
    parts.push_back({m.begin, m.end, !invert});
    prev = m.end;
  }
  if (prev != size || parts.empty()) parts.push_back({prev, size, invert});

  kept.clear();
  switch (behavior) {
    case SplitBehavior::kRemoved:
      for (const Part& part : parts) {
        if (!part.matched) kept.push_back(part);
      }
      break;
    case SplitBehavior::kIsolated:
      kept = parts;
      break;
    case SplitBehavior::kContiguous: {
      bool previous = false;
      for (const Part& part : parts) {
        if (part.matched == previous && !kept.empty()) {
          kept.back().end = part.end;
        } else {
          kept.push_back(part);
        }
        previous = part.matched;
      }
      break;
    }
    case SplitBehavior::kMergedWithPrevious: {
      bool previous = false;
      for (const Part& part : parts) {
        if (part.matched && !previous && !kept.empty()) {
          kept.back().end = part.end;
        } else {
          kept.push_back(part);
        }
        previous = part.matched;
      }
      break;
    }
    case SplitBehavior::kMergedWithNext: {
      bool previous = false;
      for (size_t i = parts.size(); i-- > 0;) {
        const Part& part = parts[i];
        if (part.matched && !previous && !kept.empty()) {
          kept.back().begin = part.begin;
        } else {
          kept.push_back(part);
        }
        previous = part.matched;
      }
      std::reverse(kept.begin(), kept.end());
      break;
    }
  }
  for (const Part& part : kept) {
    if (part.end == part.begin) continue;
    Piece q;
    q.begin = p.begin + part.begin;
    q.end = p.begin + part.end;
    q.at_start = p.at_start && part.begin == 0;
    scratch_.push_back(q);
  }
}

}  // namespace servebench::tokenizer
