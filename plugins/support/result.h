// Errors as values inside the in-tree plugins (shared by mock and docker).
// Each plugin's ABI edge turns an Error into an sdk::Reply; nothing below it
// throws on expected faults (backend down, HTTP errors, bad input).
#pragma once

#include <ephemera/provider.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ephemera::plugin_support {

struct Error {
  int32_t status = EPH_INTERNAL;
  std::string message;
  // JSON pointer into the offending document ("/settings/faults/create/fail_nth"),
  // empty when the error is not about one member.
  std::string pointer;
  int64_t retry_after_ms = -1;
};

inline Error make_error(int32_t status, std::string message, int64_t retry_after_ms = -1) {
  return Error{status, std::move(message), {}, retry_after_ms};
}
inline Error unavailable(std::string message) {
  return Error{EPH_UNAVAILABLE, std::move(message), {}, -1};
}
inline Error invalid_argument(std::string pointer, std::string message) {
  return Error{EPH_INVALID_ARGUMENT, std::move(message), std::move(pointer), -1};
}

// nullopt means success.
using MaybeError = std::optional<Error>;

// A value or the Error that prevented it.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace ephemera::plugin_support
