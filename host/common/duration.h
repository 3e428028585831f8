// Durations as people write them in config files and API requests:
// "90s", "5m", "1h30m", "250ms", "2d", or a bare integer meaning seconds.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ephemera {

// INVALID_ARGUMENT with a message naming the text for anything else
// (negative values, unknown units, overflow).
Result<std::chrono::milliseconds> parse_duration(std::string_view text);
// The shortest exact form: "1h30m", "250ms", "0s".
std::string format_duration(std::chrono::milliseconds d);

}  // namespace ephemera
