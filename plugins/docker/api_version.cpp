#include "docker/api_version.h"

#include <charconv>

namespace ephemera::docker {

std::optional<ApiVersion> parse_api_version(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= text.size()) return std::nullopt;
  ApiVersion v;
  auto [p1, e1] = std::from_chars(text.data(), text.data() + dot, v.major);
  auto [p2, e2] = std::from_chars(text.data() + dot + 1, text.data() + text.size(), v.minor);
  if (e1 != std::errc() || e2 != std::errc() || p1 != text.data() + dot ||
      p2 != text.data() + text.size() || v.major < 0 || v.minor < 0)
    return std::nullopt;
  return v;
}

ApiVersion negotiate_api_version(std::optional<ApiVersion> daemon, ApiVersion ours) {
  // Without a header (very old daemons, some proxies) the oldest we support
  // is the safest guess: newer daemons still accept it.
  if (!daemon) return kMinSupportedApi;
  return *daemon < ours ? *daemon : ours;
}

}  // namespace ephemera::docker
