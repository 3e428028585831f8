// Durations as the admin API accepts them ("90s", "5m", "1h30m", "250ms",
// "2d", or integer seconds). The CLI checks them before sending so a typo is
// a usage error naming the flag, not a round trip to the daemon.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace ephemera::ctl {

// nullopt for anything else (empty, negative, unknown unit, overflow).
std::optional<std::chrono::milliseconds> parse_duration_text(std::string_view text);

}  // namespace ephemera::ctl
