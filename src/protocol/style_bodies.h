// The built-in fields of each style's request body (spec/protocols.md §4) plus the sampling
// flags (step 2 of §3), which some styles nest (native: sampling_params, tgi: parameters).
// Internal to protocol/: callers use BuildRequestBody() of request_body.h.
#pragma once

#include "common/status.h"
#include "protocol/backend.h"
#include "protocol/json_text.h"
#include "protocol/request.h"

namespace servebench::protocol {

// completions and chat (the OpenAI family, Truss included).
Expected<JsonObject> OpenAiBody(const BackendInfo& backend, const RequestInput& input,
                                const RequestOptions& options);
Expected<JsonObject> NativeBody(const RequestInput& input, const RequestOptions& options);
Expected<JsonObject> TrtBody(const RequestInput& input, const RequestOptions& options);
Expected<JsonObject> TgiBody(const RequestInput& input, const RequestOptions& options);

// Sets the sampling flags the user gave (--top-k, --min-p, --frequency-penalty,
// --presence-penalty, --repetition-penalty) on `object`, in that order.
void SetSamplingFlags(const RequestOptions& options, JsonObject& object);

// The prompt as the text a text-only style needs.
Expected<std::string> PromptText(const RequestInput& input, std::string_view backend);

std::string JsonIntArray(const std::vector<int32_t>& values);
std::string JsonIntArray(const std::vector<int64_t>& values);
std::string JsonStringArray(const std::vector<std::string>& values);

}  // namespace servebench::protocol
