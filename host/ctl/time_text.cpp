#include "ctl/time_text.h"

#include <charconv>

namespace ephemera::ctl {
namespace {

std::optional<int> digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int n = 0;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + count, n);
  if (ec != std::errc() || end != text.data() + pos + count) return std::nullopt;
  return n;
}

bool separator_at(std::string_view text, size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

// Digits after the seconds' '.', as milliseconds (further digits ignored).
std::optional<std::chrono::milliseconds> fraction(std::string_view frac) {
  int ms = 0;
  for (size_t i = 0; i < frac.size(); ++i) {
    if (frac[i] < '0' || frac[i] > '9') return std::nullopt;
    if (i < 3) ms = ms * 10 + (frac[i] - '0');
  }
  for (size_t i = frac.size(); i < 3; ++i) ms *= 10;
  return std::chrono::milliseconds(ms);
}

}  // namespace

std::optional<SysTime> parse_instant(std::string_view text) {
  using namespace std::chrono;
  if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
  if (!separator_at(text, 4, '-') || !separator_at(text, 7, '-') || !separator_at(text, 10, 'T') ||
      !separator_at(text, 13, ':') || !separator_at(text, 16, ':')) {
    return std::nullopt;
  }
  auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  auto h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  std::optional<milliseconds> ms = milliseconds(0);
  if (text.size() > 20) {
    if (text[19] != '.') return std::nullopt;
    ms = fraction(text.substr(20, text.size() - 21));
  }
  const year_month_day date{year(*y), month(static_cast<unsigned>(*mo)), day(static_cast<unsigned>(*d))};
  if (!ms || !date.ok() || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  return sys_days(date) + hours(*h) + minutes(*mi) + seconds(*s) + *ms;
}

std::string format_age(SysTime then, SysTime now) {
  using namespace std::chrono;
  const auto age = duration_cast<seconds>(now - then).count();
  if (age <= 0) return "0s";
  if (age < 60) return std::to_string(age) + "s";
  if (age < 3600) return std::to_string(age / 60) + "m";
  if (age < 86400) return std::to_string(age / 3600) + "h";
  return std::to_string(age / 86400) + "d";
}

}  // namespace ephemera::ctl
