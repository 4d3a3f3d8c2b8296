// Test helpers: a sink that records events and a driver that streams a short reply.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "sim/wire/wire.h"

namespace servebench::sim::testing {

class RecordingSink : public EventSink {
 public:
  void Event(std::string_view bytes) override { events.emplace_back(bytes); }
  std::string Joined() const {
    std::string all;
    for (const std::string& e : events)
      all += e;
    return all;
  }
  std::vector<std::string> events;
};

struct Token {
  std::string text;
  int id;
  float logprob = 0;
};

// The transcripts' reply: " Paris", ".", " It".
inline std::vector<Token> ParisTokens() {
  return {{" Paris", 12366, -0.0917f}, {".", 13, -0.6128f}, {" It", 1102, -1.1953f}};
}

// Streams `tokens` one per event, the last with `finish`, through StreamStart..StreamEnd.
inline std::vector<std::string> StreamReply(const Dialect& d, const ReplyContext& ctx,
                                            const std::vector<Token>& tokens,
                                            Finish finish = Finish::kLength, double elapsed_s = 0) {
  RecordingSink sink;
  d.StreamStart(ctx, sink);
  std::string full;
  Progress p;
  for (size_t i = 0; i < tokens.size(); ++i) {
    full += tokens[i].text;
    p.new_text = tokens[i].text;
    p.new_ids = std::span<const int>(&tokens[i].id, 1);
    p.full_text = full;
    p.completion_tokens = static_cast<int>(i + 1);
    p.logprob = tokens[i].logprob;
    p.finish = i + 1 == tokens.size() ? finish : Finish::kNone;
    p.elapsed_s = elapsed_s;
    d.StreamTokens(ctx, p, sink);
  }
  d.StreamEnd(ctx, p, sink);
  return sink.events;
}

// FullBody of the same reply.
inline std::string FullReply(const Dialect& d, const ReplyContext& ctx,
                             const std::vector<Token>& tokens, Finish finish = Finish::kLength,
                             double elapsed_s = 0) {
  std::string full;
  std::vector<int> ids;
  for (const Token& t : tokens) {
    full += t.text;
    ids.push_back(t.id);
  }
  Progress p;
  p.new_text = full;
  p.full_text = full;
  p.new_ids = ids;
  p.completion_tokens = static_cast<int>(tokens.size());
  p.finish = finish;
  p.elapsed_s = elapsed_s;
  return d.FullBody(ctx, p);
}

// Replaces the spec's written escapes \r and \n with the bytes.
inline std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 'n' || s[i + 1] == 'r')) {
      out.push_back(s[i + 1] == 'n' ? '\n' : '\r');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Transcript lines (one event per line, written with \n escapes) as the events' bytes.
inline std::vector<std::string> Lines(std::initializer_list<std::string_view> lines) {
  std::vector<std::string> out;
  for (std::string_view l : lines)
    out.push_back(Unescape(l));
  return out;
}

}  // namespace servebench::sim::testing
