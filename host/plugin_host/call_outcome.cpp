#include "plugin_host/call_outcome.h"

#include <mutex>

#include "plugin_host/host_api.h"

namespace ephemera::plugin_host {

CallOutcome collect_outcome(eph_call& call, int32_t raw_status) {
  std::lock_guard lock(call.mu);
  if (call.oversized) {
    return CallOutcome{Status(StatusCode::kInternal, "plugin wrote a result larger than 64 MiB"), {}};
  }
  StatusCode code = status_code_from_abi(raw_status);
  std::optional<std::chrono::milliseconds> retry_after;
  if (call.retry_after_ms >= 0) retry_after = std::chrono::milliseconds(call.retry_after_ms);
  std::string message = call.message;
  if (code != StatusCode::kOk && message.empty()) {
    message = "plugin returned status " + std::to_string(raw_status) + " without a message";
  }
  if (code == StatusCode::kInternal && raw_status != static_cast<int32_t>(StatusCode::kInternal)) {
    message = "plugin returned unknown status " + std::to_string(raw_status) + ": " + message;
  }
  return CallOutcome{Status(code, std::move(message), retry_after), std::move(call.payload)};
}

}  // namespace ephemera::plugin_host
