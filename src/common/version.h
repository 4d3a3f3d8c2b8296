#pragma once

#include <string_view>

namespace servebench {

// "0.1.0": the project version, for User-Agent headers and result files.
std::string_view Version();

}  // namespace servebench
