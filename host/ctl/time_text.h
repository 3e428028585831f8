// The API's instants (RFC 3339 UTC, "2026-12-03T20:15:00.123Z") and the
// short ages the tables show ("45s", "12m", "3h", "5d").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ephemera::ctl {

using SysTime = std::chrono::system_clock::time_point;

// nullopt for anything but "YYYY-MM-DDTHH:MM:SS[.fff...]Z".
std::optional<SysTime> parse_instant(std::string_view text);

// now - then in the largest whole unit; "0s" for instants in the future
// (clock skew between the CLI and the daemon is not an age).
std::string format_age(SysTime then, SysTime now);

}  // namespace ephemera::ctl
