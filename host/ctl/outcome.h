// Outcome<T>: a value or the error that ends the command with a given exit
// code. The CLI is its own small library (it asks nothing of ephemera_host),
// so it carries its own error value instead of ephemera::Result.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ephemera::ctl {

// What scripts see. Stable: documented in `ephemeractl help`.
enum class ExitCode : int {
  kOk = 0,
  kError = 1,     // server error, connection trouble, bad input file
  kUsage = 2,     // unknown command or flag, missing or malformed argument
  kNotFound = 3,  // HTTP 404
};

struct CtlError {
  ExitCode exit_code = ExitCode::kError;
  std::string message;  // one line, without the "ephemeractl: " prefix
};

inline CtlError usage_error(std::string message) { return {ExitCode::kUsage, std::move(message)}; }
inline CtlError runtime_error(std::string message) { return {ExitCode::kError, std::move(message)}; }

template <class T>
class Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Outcome(CtlError error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const CtlError& error() const { return std::get<CtlError>(v_); }

 private:
  std::variant<T, CtlError> v_;
};

}  // namespace ephemera::ctl
