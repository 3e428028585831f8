#include "plugin_host/host_api.h"

#include <spdlog/spdlog.h>

#include <cstddef>

namespace ephemera::plugin_host {
namespace {

std::string_view view(eph_str s) {
  return s.data == nullptr ? std::string_view{} : std::string_view(s.data, s.len);
}

// Reads one field of a plugin-written struct only if the plugin's declared
// size covers it: an older plugin's shorter struct reads as zero.
bool covers(uint32_t struct_size, size_t offset, size_t field_size) {
  return struct_size >= offset + field_size;
}

void write_result(eph_call* call, const eph_result* r) {
  if (call == nullptr || r == nullptr) return;
  std::lock_guard lock(call->mu);
  call->written = true;
  call->retry_after_ms = covers(r->struct_size, offsetof(eph_result, retry_after_ms), 8)
                             ? r->retry_after_ms
                             : -1;
  call->message.clear();
  call->payload.clear();
  if (covers(r->struct_size, offsetof(eph_result, message), sizeof(eph_str)) &&
      r->message.len <= kMaxResultBytes) {
    call->message.assign(view(r->message));
  }
  if (covers(r->struct_size, offsetof(eph_result, payload_json), sizeof(eph_str))) {
    if (r->payload_json.len > kMaxResultBytes) {
      call->oversized = true;  // the call fails INTERNAL; nothing is copied
      return;
    }
    call->payload.assign(view(r->payload_json));
  }
}

void log(eph_host* host, int32_t level, eph_str message) {
  if (host == nullptr) return;
  if (host->log) {
    host->log(level, view(message));
  } else {
    log_plugin_line(host->provider_name, level, view(message));
  }
}

int64_t now_ms(eph_host* host) {
  const Clock& clock = (host != nullptr && host->clock != nullptr)
                           ? *host->clock
                           : static_cast<const Clock&>(SystemClock::instance());
  return clock.wall_now_ms();
}

int32_t is_cancelled(eph_call* call) {
  return (call != nullptr && call->cancelled.load(std::memory_order_relaxed)) ? 1 : 0;
}

void push_status(eph_host* host, eph_str info) {
  if (host != nullptr && host->status_pushed && info.len <= kMaxResultBytes) {
    host->status_pushed(std::string(view(info)));
  }
}

void request_reconcile(eph_host* host, eph_str reason) {
  if (host != nullptr && host->reconcile_requested) {
    host->reconcile_requested(std::string(view(reason)));
  }
}

const eph_host_api kHostApi = {
    sizeof(eph_host_api), 0, &write_result, &log, &now_ms, &is_cancelled, &push_status,
    &request_reconcile,
};

}  // namespace

const eph_host_api* host_api() { return &kHostApi; }

void log_plugin_line(std::string_view provider, int32_t level, std::string_view message) {
  spdlog::level::level_enum lvl = spdlog::level::info;
  switch (level) {
    case EPH_LOG_TRACE: lvl = spdlog::level::trace; break;
    case EPH_LOG_DEBUG: lvl = spdlog::level::debug; break;
    case EPH_LOG_WARN: lvl = spdlog::level::warn; break;
    case EPH_LOG_ERROR: lvl = spdlog::level::err; break;
    default: break;
  }
  spdlog::log(lvl, "[provider {}] {}", provider, message);
}

}  // namespace ephemera::plugin_host
