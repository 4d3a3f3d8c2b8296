// Builds the exact request body of spec/protocols.md §3/§4 for one backend.
//
// The body is the style's built-in fields, updated key by key (top level only) by the sampling
// flags, --extra-request-body, the row's extra body and the LoRA adapter, in that order, and
// written as compact JSON. Bodies are built before the run; nothing here is on the hot path.
#pragma once

#include <string>

#include "common/status.h"
#include "protocol/backend.h"
#include "protocol/request.h"

namespace servebench::protocol {

// Fails with a one-line message when the row cannot be sent to this backend (e.g. token ids to
// TGI) or a LoRA adapter is asked of a backend without LoRA support.
Expected<std::string> BuildRequestBody(const BackendInfo& backend, const RequestInput& input,
                                       const RequestOptions& options);

// Whether this backend's body asks the server to ignore EOS under these options (TGI cannot,
// so the caller warns once that output lengths will vary when the user wanted it).
bool WantsIgnoreEos(const BackendInfo& backend, const RequestOptions& options);

}  // namespace servebench::protocol
