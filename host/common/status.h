// Status and Result: recoverable errors are values inside the host, never
// exceptions through the engine (STYLE.md, "Errors").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ephemera {

// Mirrors the EPH_* codes of the plugin ABI one to one (same values), so a
// plugin status converts without a table.
enum class StatusCode : int32_t {
  kOk = 0,
  kNotFound = 1,
  kAlreadyExists = 2,
  kInvalidArgument = 3,
  kUnavailable = 4,
  kDeadlineExceeded = 5,
  kPermissionDenied = 6,
  kResourceExhausted = 7,
  kAborted = 8,
  kUnsupported = 9,
  kInternal = 10,
};

// "NOT_FOUND", "UNAVAILABLE", ... as the SDK README spells them.
std::string_view status_code_name(StatusCode code);
// Inverse of status_code_name; nullopt for an unknown name.
std::optional<StatusCode> status_code_from_name(std::string_view name);
// A plugin's raw int32 code; unknown and plugin-specific codes become kInternal.
StatusCode status_code_from_abi(int32_t raw);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message,
         std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
      : code_(code), message_(std::move(message)), retry_after_(retry_after) {}

  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::optional<std::chrono::milliseconds> retry_after() const { return retry_after_; }

  // Transient errors are worth retrying with backoff; they never mean "gone".
  bool is_transient() const;
  // "UNAVAILABLE: connect: refused"
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::optional<std::chrono::milliseconds> retry_after_;
};

// A value or the Status explaining why there is none.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<Status>(v_);
  }

 private:
  std::variant<T, Status> v_;
};

}  // namespace ephemera
