#include "common/status.h"

#include <ephemera/provider.h>

#include <array>

namespace ephemera {
// StatusCode converts from the ABI by value: pin the equality.
static_assert(static_cast<int32_t>(StatusCode::kNotFound) == EPH_NOT_FOUND);
static_assert(static_cast<int32_t>(StatusCode::kAlreadyExists) == EPH_ALREADY_EXISTS);
static_assert(static_cast<int32_t>(StatusCode::kInvalidArgument) == EPH_INVALID_ARGUMENT);
static_assert(static_cast<int32_t>(StatusCode::kUnavailable) == EPH_UNAVAILABLE);
static_assert(static_cast<int32_t>(StatusCode::kDeadlineExceeded) == EPH_DEADLINE_EXCEEDED);
static_assert(static_cast<int32_t>(StatusCode::kPermissionDenied) == EPH_PERMISSION_DENIED);
static_assert(static_cast<int32_t>(StatusCode::kResourceExhausted) == EPH_RESOURCE_EXHAUSTED);
static_assert(static_cast<int32_t>(StatusCode::kAborted) == EPH_ABORTED);
static_assert(static_cast<int32_t>(StatusCode::kUnsupported) == EPH_UNSUPPORTED);
static_assert(static_cast<int32_t>(StatusCode::kInternal) == EPH_INTERNAL);

namespace {
constexpr std::array<std::string_view, 11> kNames = {
    "OK",          "NOT_FOUND",         "ALREADY_EXISTS",     "INVALID_ARGUMENT",
    "UNAVAILABLE", "DEADLINE_EXCEEDED", "PERMISSION_DENIED",  "RESOURCE_EXHAUSTED",
    "ABORTED",     "UNSUPPORTED",       "INTERNAL"};
}  // namespace

std::string_view status_code_name(StatusCode code) {
  auto i = static_cast<size_t>(code);
  return i < kNames.size() ? kNames[i] : "INTERNAL";
}

std::optional<StatusCode> status_code_from_name(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<StatusCode>(i);
  }
  return std::nullopt;
}

StatusCode status_code_from_abi(int32_t raw) {
  if (raw < 0 || raw >= static_cast<int32_t>(kNames.size())) return StatusCode::kInternal;
  return static_cast<StatusCode>(raw);
}

bool Status::is_transient() const {
  switch (code_) {
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kResourceExhausted:
    case StatusCode::kAborted:
      return true;
    default:
      return false;
  }
}

std::string Status::to_string() const {
  std::string out(status_code_name(code_));
  if (!message_.empty()) out += ": " + message_;
  return out;
}

}  // namespace ephemera
