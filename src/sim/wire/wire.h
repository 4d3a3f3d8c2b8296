// serve-sim's wire formats: the exact bytes each server family writes.
//
// A Dialect knows one (family, route) pair's reply shapes: the response head, the SSE events of a
// stream, the non-streaming body and the error bodies. It knows nothing of sockets, timing or
// the engine; the session (sim/session.cpp) decides *when* to write and asks the Dialect *what*.
// Keeping the bytes here lets tests compare them with the transcripts of spec/protocols.md §6.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace servebench::sim {

// Server families whose OpenAI-compatible routes serve-sim imitates (spec/protocols.md §9.1).
enum class Family { kSglang, kVllm, kLmdeploy, kLmdeployLegacy, kTrtllmServe, kTgi, kOpenai };

// Parses a --family / X-Serve-Sim-Family value ("sglang", "lmdeploy-legacy", ...).
bool ParseFamily(std::string_view name, Family* family);
std::string_view FamilyName(Family family);

enum class Route {
  kCompletions,           // POST /v1/completions (the family's dialect)
  kChat,                  // POST /v1/chat/completions (the family's dialect)
  kSglangGenerate,        // POST /generate, SGLang native
  kTgiGenerate,           // POST /generate with --family tgi: TGI's non-stream form
  kTgiGenerateStream,     // POST /generate_stream
  kTritonGenerate,        // POST /v2/models/ensemble/generate
  kTritonGenerateStream,  // POST /v2/models/ensemble/generate_stream
  kTruss,                 // POST /v1/models/model:predict
};

enum class Finish { kNone, kLength, kStop };

// What is fixed for one reply.
struct ReplyContext {
  Family family = Family::kSglang;
  Route route = Route::kCompletions;
  bool stream = true;
  bool include_usage = false;     // stream_options.include_usage (OpenAI routes)
  bool continuous_usage = false;  // stream_options.continuous_usage_stats
  bool crlf = false;              // --sse-style crlf: "\r\n\r\n" between events
  bool trt_accumulate = false;    // --trt-accumulate: Triton text_output is cumulative
  std::string_view model;         // the served model name echoed in replies
  std::string_view id;            // response id ("cmpl-…", "chatcmpl-…", session number, …)
  int64_t created = 0;            // unix seconds
  int prompt_tokens = 0;
  // Prompt tokens found in the prefix cache (--cached-tokens): SGLang's meta_info.cached_tokens,
  // and its OpenAI routes' sglext.cached_tokens_details when the request asked for them.
  int cached_tokens = 0;
  bool cached_tokens_details = false;  // request's return_cached_tokens_details
  int max_tokens = 0;                  // requested output limit (SGLang finish_reason.length)
  int eos_token_id = 2;                // the id a `stop` finish matched (SGLang `matched`)
  bool tgi_details = true;             // TGI `parameters.details`: final event carries `details`
  int64_t wall_time_us = 0;  // unix µs for `date` headers and pings; 0 = the current time
};

// The generation so far, after the tokens of this event were added.
struct Progress {
  std::string_view new_text;      // text of the tokens this event carries
  std::span<const int> new_ids;   // their token ids
  std::string_view full_text;     // all generated text so far (cumulative formats)
  int completion_tokens = 0;      // generated tokens so far, this event's included
  Finish finish = Finish::kNone;  // set on the event carrying the last token
  float logprob = 0;              // TGI `token.logprob` of this event's token
  bool special = false;           // TGI `token.special` (e.g. an EOS token's event)
  double elapsed_s = 0;           // since the request arrived (SGLang `e2e_latency`)
};
// FullBody reads full_text, completion_tokens, finish and new_ids (as the whole id list).

// Receives the bytes of one SSE event (or comment) at a time, separator included, so that the
// session can frame each as one HTTP chunk, as the real servers do. The bytes live in a reused
// buffer and are valid only during the call.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Event(std::string_view bytes) = 0;
};

// An HTTP reply that is not a 200 stream: status, content type and body.
struct ErrorReply {
  int status = 500;
  std::string content_type = "application/json";
  std::string body;
  std::string extra_headers;  // whole header lines ("Name: value\r\n"), e.g. Truss's X-BASETEN-*
};

// Request validation failures the front end detects; each Dialect renders them in its family's
// shape (status and body) — spec/protocols.md §6 "Errors".
enum class ErrorKind {
  kBadRequest,     // malformed JSON, wrong field types, bad values
  kContextLength,  // prompt + max tokens over --max-model-len
  kModelNotFound,  // "model" names no served model
  kMissingModel,   // "model" absent where the family requires it (lmdeploy)
  kStreamOptions,  // stream_options without stream (vLLM rule)
  kUnauthorized,   // --api-key set, bearer missing or wrong
  kContentType,    // Content-Type is not application/json (SGLang)
  kRateLimited,    // fault http-429
  kServerError,    // fault http-5xx
};

class Dialect {
 public:
  virtual ~Dialect() = default;

  // Status line and headers of a successful reply, ending with the blank line. Streams are
  // chunked; a non-streaming body of `content_length` bytes gets Content-Length.
  virtual void AppendHead(const ReplyContext& ctx, bool chunked, size_t content_length,
                          std::string& out) const = 0;
  // True when this family writes chunk sizes in upper-case hex (TGI's hyper).
  virtual bool UpperHexChunks() const { return false; }

  // Events before the first token (the role chunk of chat dialects); may write nothing.
  virtual void StreamStart(const ReplyContext& ctx, EventSink& sink) const = 0;
  // One event carrying `p.new_text` (possibly empty: an empty-text event).
  virtual void StreamTokens(const ReplyContext& ctx, const Progress& p, EventSink& sink) const = 0;
  // Events after the last token: finish-only chunk, usage event, [DONE] — what the family sends.
  virtual void StreamEnd(const ReplyContext& ctx, const Progress& final_progress,
                         EventSink& sink) const = 0;
  // An error reported inside a 200 stream, and the events that follow it ([DONE] where sent).
  virtual void StreamError(const ReplyContext& ctx, std::string_view message,
                           EventSink& sink) const = 0;
  // A keep-alive comment (`: ping - <time>` or TGI's `:`).
  virtual void Ping(const ReplyContext& ctx, EventSink& sink) const = 0;

  // Body of a non-streaming reply.
  virtual std::string FullBody(const ReplyContext& ctx, const Progress& final_progress) const = 0;

  virtual ErrorReply Error(const ReplyContext& ctx, ErrorKind kind,
                           std::string_view message) const = 0;

  // Status line and headers for `reply` (from Error), ending with the blank line; the body follows.
  virtual void AppendErrorHead(const ReplyContext& ctx, const ErrorReply& reply,
                               std::string& out) const;
  // True when the family reports `kind` inside a 200 stream (StreamErrorOfKind after the head)
  // instead of with Error(): SGLang's streamed /generate over-long prompt, TGI's validation.
  virtual bool ErrorInStream(const ReplyContext& ctx, ErrorKind kind) const;
  // StreamError for a failure of a known kind (TGI names it in `error_type`).
  virtual void StreamErrorOfKind(const ReplyContext& ctx, ErrorKind kind, std::string_view message,
                                 EventSink& sink) const;
  // True when a failure after the head is reported by dropping the connection, with no error
  // event and no [DONE] (trtllm-serve); StreamError then writes nothing.
  virtual bool DropsConnectionOnStreamError() const { return false; }
};

// The dialect for a route; the OpenAI routes take the family's, family-owned routes their owner's.
const Dialect& DialectFor(Family family, Route route);

// A response id in the family's style for the server's request number `seq` (counted from 1):
// vLLM `cmpl-`/`chatcmpl-` + 16 hex, SGLang 32 hex, LMDeploy the session number ("1", …) and
// `chatcmpl-<shortuuid>` for ≥ 0.14 chat, trtllm-serve prefix + 32 hex, OpenAI prefix + 29
// alphanumerics, TGI and Triton "". Deterministic: the same seq gives the same id.
std::string MakeResponseId(Family family, Route route, uint64_t seq);

// The reason phrase of an HTTP status ("Bad Request"); "Unknown" for codes serve-sim never sends.
std::string_view StatusReason(int status);

// Frames `payload` as one HTTP/1.1 chunk (size line in lower- or upper-case hex, data, CRLF).
void AppendChunk(std::string_view payload, bool upper_hex, std::string& out);
// The zero-size chunk that ends a chunked body.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace servebench::sim
