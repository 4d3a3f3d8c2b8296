#include "protocol/stream_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "protocol/event_facts.h"

namespace servebench::protocol {

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);

JsonParser::JsonParser() : impl_(std::make_unique<Impl>()) {}
JsonParser::~JsonParser() = default;

PaddedEvent::PaddedEvent(std::string_view data) : bytes_(data), size_(data.size()) {
  bytes_.append(kJsonPadding, ' ');
}

StreamReader::StreamReader(const ReaderOptions& options, JsonParser& parser)
    : options_(options), parser_(parser) {
  Reset(options.expected_tokens);
}

void StreamReader::Reset(int64_t expected_tokens) {
  options_.expected_tokens = expected_tokens;
  result_ = EventResult();
  text_.clear();
  // Generated words average well under 8 bytes: appends rarely reallocate.
  text_.reserve(static_cast<size_t>(std::clamp<int64_t>(expected_tokens, 0, 1 << 20)) * 8);
  reasoning_.clear();
  token_events_.clear();
  // One event per token plus a few without (role chunk, EOS): appends do not reallocate.
  token_events_.reserve(static_cast<size_t>(std::max<int64_t>(expected_tokens, 0)) + 2);
  finish_reason_.clear();
  response_id_.clear();
  error_detail_.clear();
  failure_ = ReaderFailure::kNone;
  done_ns_.reset();
  last_event_ns_.reset();
  last_choices_event_ns_.reset();
  prompt_tokens_.reset();
  completion_tokens_.reset();
  cached_tokens_.reset();
  cached_tokens_details_.reset();
  spec_accept_length_.reset();
  last_counter_.reset();
  usage_on_token_event_ = false;
  saw_other_choice_index_ = false;
  events_ = 0;
  counted_events_ = 0;
}

namespace {

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

// The start of an event for an error message: printable ASCII only (the data may not be UTF-8).
std::string Excerpt(std::string_view data) {
  std::string out;
  for (char c : data.substr(0, 48))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (data.size() > 48) out += "...";
  return out;
}

}  // namespace

const EventResult& StreamReader::OnEvent(std::string_view data, int64_t read_ns,
                                         uint64_t body_offset) {
  result_ = EventResult();
  ++events_;
  if (done_ns_) {
    result_.kind = EventKind::kIgnored;
    return result_;
  }
  if (Trim(data) == "[DONE]") {
    done_ns_ = read_ns;
    last_event_ns_ = read_ns;
    result_.kind = EventKind::kDone;
    return result_;
  }
  if (failure_ != ReaderFailure::kNone) {
    result_.kind = EventKind::kIgnored;
    return result_;
  }
  last_event_ns_ = read_ns;

  JsonParser::Impl& impl = parser_.impl();
  impl.facts.Clear();
  const bool openai = options_.style == Style::kCompletions || options_.style == Style::kChat;
  if (openai && ReadOpenAiEventFast(data, options_.stream, impl)) {
    Apply(read_ns);
    return result_;
  }
  // The full parser: every other style, and OpenAI events of an unusual shape (the fast path
  // may have written facts before it gave up).
  impl.facts.Clear();
  simdjson::ondemand::document doc;
  auto error = impl.parser.iterate(data.data(), data.size(), data.size() + kJsonPadding).get(doc);
  if (!error) {
    simdjson::ondemand::object root;
    error = doc.get_object().get(root);
    if (!error) {
      switch (options_.style) {
        case Style::kCompletions:
        case Style::kChat:
          error = ReadOpenAiEvent(root, options_.stream, impl);
          break;
        case Style::kNative:
          error = ReadNativeEvent(root, impl);
          break;
        case Style::kTrt:
          error = ReadTrtEvent(root, impl);
          break;
        case Style::kTgi:
          error = ReadTgiEvent(root, impl);
          break;
      }
    }
    // At the end of the document current_location() fails; if it succeeds, bytes follow the
    // object ("{...} x").
    const char* rest = nullptr;
    if (!error && doc.current_location().get(rest) == simdjson::SUCCESS) {
      error = simdjson::TRAILING_CONTENT;
    }
  }
  if (error) {
    failure_ = ReaderFailure::kMalformedEvent;
    error_detail_ = fmt::format("event at body offset {} is not a JSON object ({}): {}",
                                body_offset, simdjson::error_message(error), Excerpt(data));
    result_.kind = EventKind::kMalformed;
    return result_;
  }
  const EventFacts& facts = impl.facts;
  if (facts.error) {
    failure_ = ReaderFailure::kStreamError;
    error_detail_.assign(facts.error_message.empty() ? "error event" : facts.error_message);
    if (!facts.error_type.empty() && !facts.error_code.empty()) {
      fmt::format_to(std::back_inserter(error_detail_), " (type {}, code {})", facts.error_type,
                     facts.error_code);
    } else if (!facts.error_type.empty()) {
      fmt::format_to(std::back_inserter(error_detail_), " (type {})", facts.error_type);
    } else if (!facts.error_code.empty()) {
      fmt::format_to(std::back_inserter(error_detail_), " (code {})", facts.error_code);
    }
    result_.kind = EventKind::kStreamError;
    return result_;
  }
  Apply(read_ns);
  return result_;
}

namespace {

// Makes `text` equal to `latest` (a cumulative text) and returns where it stopped agreeing with
// its previous value: the new text is what follows that point.
size_t ReplaceCumulative(std::string& text, std::string_view latest) {
  if (latest.size() >= text.size() && latest.compare(0, text.size(), text) == 0) {
    size_t common = text.size();
    text.append(latest.substr(common));
    return common;
  }
  size_t common = std::mismatch(text.begin(), text.begin() + std::min(text.size(), latest.size()),
                                latest.begin())
                      .first -
                  text.begin();
  text.assign(latest);
  return common;
}

}  // namespace

void StreamReader::Apply(int64_t read_ns) {
  const EventFacts& facts = parser_.impl().facts;
  size_t text_begin = text_.size();
  size_t reasoning_begin = reasoning_.size();
  switch (options_.style) {
    case Style::kCompletions:
    case Style::kChat:
      text_.append(facts.text);
      text_.append(facts.tool_text);
      reasoning_.append(facts.reasoning);
      break;
    case Style::kNative:
    case Style::kTrt: {
      bool cumulative = options_.style == Style::kNative ? !options_.incremental_text
                                                         : options_.trt_accumulated_text;
      if (cumulative) {
        text_begin = ReplaceCumulative(text_, facts.text);
      } else {
        text_.append(facts.text);
      }
      break;
    }
    case Style::kTgi:
      if (facts.has_token && !facts.special_token) text_.append(facts.text);
      // The final generated_text (or a whole /generate body) replaces what was accumulated.
      if (facts.has_generated_text) {
        text_begin = std::min(text_begin, ReplaceCumulative(text_, facts.generated_text));
      }
      break;
  }
  text_begin = std::min(text_begin, text_.size());
  result_.kind = EventKind::kData;
  result_.text = std::string_view(text_).substr(text_begin);
  result_.reasoning = std::string_view(reasoning_).substr(reasoning_begin);
  const bool text_grew = !result_.text.empty() || !result_.reasoning.empty();
  result_.token_event = IsTokenEvent(text_grew);

  if (facts.has_usage) {
    prompt_tokens_ = facts.prompt_tokens;
    completion_tokens_ = facts.completion_tokens;
    usage_on_token_event_ = text_grew;
  }
  if (!facts.finish_reason.empty()) finish_reason_.assign(facts.finish_reason);
  if (response_id_.empty() && !facts.id.empty()) response_id_.assign(facts.id);
  if (facts.cached_tokens) cached_tokens_ = facts.cached_tokens;
  if (facts.has_cached_details) {
    cached_tokens_details_ =
        CachedTokensDetails{facts.cached_device, facts.cached_host, facts.cached_storage,
                            std::string(facts.cached_storage_backend)};
  }
  if (facts.spec_accept_length) spec_accept_length_ = facts.spec_accept_length;
  if (facts.other_choice_index) saw_other_choice_index_ = true;
  if (facts.has_choices) last_choices_event_ns_ = read_ns;
  if (result_.token_event) {
    token_events_.push_back(
        TokenEvent{read_ns, facts.counter.value_or(-1), static_cast<uint32_t>(text_begin),
                   static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(reasoning_begin),
                   static_cast<uint32_t>(reasoning_.size())});
    if (facts.counter) ++counted_events_;
  }
  if (facts.counter) last_counter_ = facts.counter;
}

bool StreamReader::IsTokenEvent(bool text_grew) const {
  const EventFacts& facts = parser_.impl().facts;
  const Style style = options_.style;
  const bool openai = style == Style::kCompletions || style == Style::kChat;
  switch (options_.compat) {
    case Compat::kNone:
      return text_grew;
    case Compat::kSglang:
      // bench_serving: non-empty text (chat: content or reasoning); native: non-empty text and
      // a completion_tokens that moved; trt: every event.
      if (openai) return !facts.text.empty() || !facts.reasoning.empty();
      if (style == Style::kNative) {
        bool moved = !facts.counter || !last_counter_ || *facts.counter != *last_counter_;
        return !facts.text.empty() && moved;
      }
      if (style == Style::kTrt) return true;
      return text_grew;
    case Compat::kVllm:
      // vLLM's bench serve: every event with a non-empty `choices` array.
      if (openai) return facts.has_choices;
      return style == Style::kTgi ? facts.has_token || text_grew : true;
    case Compat::kLmdeploy:
      // profile_restful_api: non-empty text or content, reasoning not counted; trt: every event.
      if (openai || style == Style::kNative) return !facts.text.empty();
      if (style == Style::kTrt) return true;
      return text_grew;
  }
  return text_grew;
}

int32_t StreamReader::ServerTokens(size_t k) const {
  if (k >= token_events_.size() || !server_counts()) return -1;
  int64_t previous = k == 0 ? 0 : token_events_[k - 1].counter;
  return static_cast<int32_t>(std::max<int64_t>(token_events_[k].counter - previous, 0));
}

std::string_view StreamReader::TokenEventText(size_t k) const {
  const TokenEvent& event = token_events_.at(k);
  size_t end = std::min<size_t>(event.text_end, text_.size());
  size_t begin = std::min<size_t>(event.text_begin, end);
  return std::string_view(text_).substr(begin, end - begin);
}

std::string_view StreamReader::TokenEventReasoning(size_t k) const {
  const TokenEvent& event = token_events_.at(k);
  size_t end = std::min<size_t>(event.reasoning_end, reasoning_.size());
  size_t begin = std::min<size_t>(event.reasoning_begin, end);
  return std::string_view(reasoning_).substr(begin, end - begin);
}

}  // namespace servebench::protocol
