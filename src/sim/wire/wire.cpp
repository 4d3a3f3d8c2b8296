#include "sim/wire/wire.h"

#include <array>

#include "sim/wire/dialects.h"

namespace servebench::sim {
namespace {

struct FamilyEntry {
  Family family;
  std::string_view name;
};

constexpr std::array<FamilyEntry, 7> kFamilies = {{
    {Family::kSglang, "sglang"},
    {Family::kVllm, "vllm"},
    {Family::kLmdeploy, "lmdeploy"},
    {Family::kLmdeployLegacy, "lmdeploy-legacy"},
    {Family::kTrtllmServe, "trtllm-serve"},
    {Family::kTgi, "tgi"},
    {Family::kOpenai, "openai"},
}};

// splitmix64: a bijection, so distinct request numbers give distinct ids.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// `count` characters of `alphabet` drawn from the request number.
std::string IdChars(uint64_t seq, std::string_view alphabet, int count) {
  std::string out;
  out.reserve(static_cast<size_t>(count));
  uint64_t state = seq;
  uint64_t bits = Mix(state);
  int left = 8;  // draws per 64-bit word (8 bits each)
  for (int i = 0; i < count; ++i) {
    if (left == 0) {
      bits = Mix(++state ^ 0xA5A5A5A5A5A5A5A5ULL);
      left = 8;
    }
    out.push_back(alphabet[(bits & 0xFF) % alphabet.size()]);
    bits >>= 8;
    --left;
  }
  return out;
}

std::string Hex(uint64_t seq, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<size_t>(digits));
  uint64_t word = Mix(seq);
  for (int i = 0; i < digits; ++i) {
    if (i == 16) word = Mix(seq ^ 0x5DEECE66DULL);
    out.push_back(kHex[(word >> (60 - 4 * (i % 16))) & 0xF]);
  }
  return out;
}

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// shortuuid's alphabet (no 0, 1, I, O, l), used by LMDeploy chat ids.
constexpr std::string_view kShortUuid = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

}  // namespace

bool ParseFamily(std::string_view name, Family* family) {
  for (const FamilyEntry& e : kFamilies) {
    if (e.name == name) {
      *family = e.family;
      return true;
    }
  }
  return false;
}

std::string_view FamilyName(Family family) {
  for (const FamilyEntry& e : kFamilies) {
    if (e.family == family) return e.name;
  }
  return "unknown";
}

const Dialect& DialectFor(Family family, Route route) {
  switch (route) {
    case Route::kSglangGenerate:
      return SglangDialect(route);
    case Route::kTgiGenerate:
    case Route::kTgiGenerateStream:
      return TgiDialect(route);
    case Route::kTritonGenerate:
    case Route::kTritonGenerateStream:
      return TritonDialect();
    case Route::kTruss:
      return TrussDialect();
    case Route::kCompletions:
    case Route::kChat:
      break;
  }
  switch (family) {
    case Family::kSglang:
      return SglangDialect(route);
    case Family::kVllm:
      return VllmDialect(route);
    case Family::kLmdeploy:
      return LmdeployDialect(route, /*legacy=*/false);
    case Family::kLmdeployLegacy:
      return LmdeployDialect(route, /*legacy=*/true);
    case Family::kTrtllmServe:
      return TrtllmServeDialect(route);
    case Family::kTgi:
      return TgiDialect(route);
    case Family::kOpenai:
      return OpenaiDialect(route);
  }
  return SglangDialect(route);
}

std::string MakeResponseId(Family family, Route route, uint64_t seq) {
  switch (route) {
    case Route::kSglangGenerate:
      return Hex(seq, 32);
    case Route::kTgiGenerate:
    case Route::kTgiGenerateStream:
    case Route::kTritonGenerate:
    case Route::kTritonGenerateStream:
      return "";
    case Route::kTruss:
      return "cmpl-" + Hex(seq, 16);
    case Route::kCompletions:
    case Route::kChat:
      break;
  }
  const bool chat = route == Route::kChat;
  switch (family) {
    case Family::kVllm:
      return (chat ? "chatcmpl-" : "cmpl-") + Hex(seq, 16);
    case Family::kSglang:
      return Hex(seq, 32);  // the request's rid, uuid4().hex
    case Family::kLmdeployLegacy:
      return std::to_string(seq);
    case Family::kLmdeploy:
      return chat ? "chatcmpl-" + IdChars(seq, kShortUuid, 22) : std::to_string(seq);
    case Family::kTrtllmServe:
      return (chat ? "chatcmpl-" : "cmpl-") + Hex(seq, 32);
    case Family::kTgi:
      return "";
    case Family::kOpenai:
      return (chat ? "chatcmpl-" : "cmpl-") + IdChars(seq, kBase62, 29);
  }
  return "";
}

std::string_view StatusReason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 424:
      return "Failed Dependency";
    case 429:
      return "Too Many Requests";
    case 499:
      return "Client Closed Request";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

void AppendChunk(std::string_view payload, bool upper_hex, std::string& out) {
  const char* digits = upper_hex ? "0123456789ABCDEF" : "0123456789abcdef";
  char size[16];
  int n = 0;
  size_t v = payload.size();
  do {
    size[n++] = digits[v & 0xF];
    v >>= 4;
  } while (v != 0);
  while (n > 0)
    out.push_back(size[--n]);
  out.append("\r\n");
  out.append(payload);
  out.append("\r\n");
}

}  // namespace servebench::sim
