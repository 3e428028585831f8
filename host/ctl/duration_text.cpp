#include "ctl/duration_text.h"

#include <cstdint>
#include <limits>

namespace ephemera::ctl {
namespace {

// Milliseconds per unit; nullopt for an unknown unit.
std::optional<int64_t> unit_ms(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60'000;
  if (unit == "h") return 3'600'000;
  if (unit == "d") return 86'400'000;
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads the digits at text[pos...]; nullopt on none or overflow.
std::optional<int64_t> read_number(std::string_view text, size_t& pos) {
  const size_t start = pos;
  int64_t n = 0;
  for (; pos < text.size() && is_digit(text[pos]); ++pos) {
    if (n > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
    n = n * 10 + (text[pos] - '0');
  }
  if (pos == start) return std::nullopt;
  return n;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration_text(std::string_view text) {
  if (text.empty()) return std::nullopt;
  size_t pos = 0;
  if (auto n = read_number(text, pos); n && pos == text.size()) {
    if (*n > std::numeric_limits<int64_t>::max() / 1000) return std::nullopt;
    return std::chrono::seconds(*n);  // a bare integer means seconds
  }
  pos = 0;
  int64_t total_ms = 0;
  while (pos < text.size()) {
    auto n = read_number(text, pos);
    if (!n) return std::nullopt;
    const size_t unit_start = pos;
    while (pos < text.size() && !is_digit(text[pos])) ++pos;
    auto per = unit_ms(text.substr(unit_start, pos - unit_start));
    if (!per || *n > (std::numeric_limits<int64_t>::max() - total_ms) / *per) return std::nullopt;
    total_ms += *n * *per;
  }
  return std::chrono::milliseconds(total_ms);
}

}  // namespace ephemera::ctl
