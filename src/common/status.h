// Errors as values at module boundaries.
//
// An Error is a one-line message written for the user: it names the flag, file, line or field
// at fault and what was expected. Functions that can fail return Expected<T> (or Status when there
// is no value); exceptions never cross a module boundary or a thread.
#pragma once

#include <expected>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace servebench {

struct Error {
  std::string message;
};

template <typename T>
using Expected = std::expected<T, Error>;

// Status is Expected<void>: `if (!s) return std::unexpected(s.error());`.
using Status = std::expected<void, Error>;

inline std::unexpected<Error> MakeError(std::string message) {
  return std::unexpected<Error>(Error{std::move(message)});
}

template <typename... Args>
std::unexpected<Error> MakeError(fmt::format_string<Args...> format, Args&&... args) {
  return std::unexpected<Error>(Error{fmt::format(format, std::forward<Args>(args)...)});
}

inline Status Ok() {
  return {};
}

}  // namespace servebench
