// The one rule for names that end up in resource names and label values
// (the site, a provider's name): a DNS label — lower-case letters, digits
// and '-', not at either end, at most `max_length` characters.
#pragma once

#include <cstddef>
#include <string_view>

namespace ephemera::config {

inline bool is_dns_label(std::string_view s, size_t max_length = 63) {
  if (s.empty() || s.size() > max_length || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace ephemera::config
