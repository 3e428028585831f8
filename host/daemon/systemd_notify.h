// sd_notify(3) for Type=notify units; every call is a no-op outside systemd
// (NOTIFY_SOCKET unset).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace ephemera::daemon {

void notify_ready(std::string_view status);
void notify_stopping();
void notify_watchdog();
// Half the unit's WatchdogSec when the watchdog is on for this process.
std::optional<std::chrono::milliseconds> watchdog_interval();

}  // namespace ephemera::daemon
