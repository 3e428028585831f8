// The host side of the ABI: the definitions of the opaque eph_call and
// eph_host handles, and the callback table (eph_host_api) every plugin gets.
#pragma once

#include <ephemera/provider.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.h"

// One in-flight plugin call. Shared between the pool thread running it and
// whoever waits for it; the plugin sees only the pointer.
struct eph_call {
  std::atomic<bool> cancelled{false};

  std::mutex mu;  // guards the result below (a plugin may write from any thread)
  bool written = false;
  std::string message;
  std::string payload;
  int64_t retry_after_ms = -1;
  bool oversized = false;  // the plugin wrote more than kMaxResultBytes
};

// The host context of one provider instance. The hooks are set before the
// instance is opened and never change afterwards, so plugin threads may call
// them without locks. Hooks must not block for long.
struct eph_host {
  std::string provider_name;
  const ephemera::Clock* clock = nullptr;
  std::function<void(int32_t level, std::string_view message)> log;
  std::function<void(std::string worker_info_json)> status_pushed;
  std::function<void(std::string reason)> reconcile_requested;
};

namespace ephemera::plugin_host {

// The callback table handed to every plugin (static, lives forever).
const eph_host_api* host_api();

// Largest result a plugin may write; larger ones are dropped and the call
// fails INTERNAL (a misbehaving plugin must not exhaust the host's memory).
inline constexpr uint64_t kMaxResultBytes = 64ull << 20;

// Default log hook: spdlog, tagged with the provider name.
void log_plugin_line(std::string_view provider, int32_t level, std::string_view message);

}  // namespace ephemera::plugin_host
