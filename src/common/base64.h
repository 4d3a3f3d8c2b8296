// Base64 (RFC 4648 standard alphabet, padded): image data URIs, embedded binary blobs.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace servebench {

std::string Base64Encode(std::string_view bytes);

// Whitespace is not allowed; padding is optional.
Expected<std::string> Base64Decode(std::string_view text);

}  // namespace servebench
