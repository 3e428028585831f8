#include "common/duration.h"

#include <cctype>
#include <cstdint>
#include <limits>

namespace ephemera {

namespace {

struct Unit {
  std::string_view suffix;
  int64_t ms;
};
// Longest suffixes first so "ms" is not read as "m".
constexpr Unit kUnits[] = {{"ms", 1}, {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}};

Status bad(std::string_view text, const char* why) {
  return Status(StatusCode::kInvalidArgument,
                "invalid duration '" + std::string(text) + "': " + why + " (use e.g. 90s, 5m, 1h30m, 250ms)");
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text.empty()) return bad(text, "empty");
  bool digits_only = true;
  for (char c : text) digits_only &= std::isdigit(static_cast<unsigned char>(c)) != 0;
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return bad(text, "expected a number");
    int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (n > std::numeric_limits<int64_t>::max() / 10 - 9) return bad(text, "too large");
      n = n * 10 + (text[i++] - '0');
    }
    int64_t unit = 0;
    if (digits_only) {
      unit = 1000;  // a bare integer is seconds
    } else {
      for (const Unit& u : kUnits) {
        if (text.substr(i, u.suffix.size()) == u.suffix) {
          unit = u.ms;
          i += u.suffix.size();
          break;
        }
      }
      if (unit == 0) return bad(text, "unknown or missing unit");
    }
    if (n > (std::numeric_limits<int64_t>::max() - total) / unit) return bad(text, "too large");
    total += n * unit;
  }
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  for (const Unit& u : {kUnits[1], kUnits[2], kUnits[3], kUnits[4], kUnits[0]}) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms) + std::string(u.suffix);
      ms %= u.ms;
    }
  }
  return out;
}

}  // namespace ephemera
