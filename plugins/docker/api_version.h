// Engine API version negotiation. The plugin never pins a version: it asks
// `GET /_ping` for the daemon's (`API-Version` header) and speaks the lower of
// that and the newest it supports, so it works with old daemons (20.10 speaks
// 1.41) and with new ones that refuse very old versions.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace ephemera::docker {

struct ApiVersion {
  int major = 1;
  int minor = 0;
  auto operator<=>(const ApiVersion&) const = default;
  std::string str() const { return std::to_string(major) + "." + std::to_string(minor); }
  // "/v1.41": the prefix of every versioned path.
  std::string prefix() const { return "/v" + str(); }
};

// The newest API this plugin was written against, and the oldest whose
// HostConfig has every field hardening sets (Init, PidsLimit, NanoCpus...).
inline constexpr ApiVersion kMaxSupportedApi{1, 43};
inline constexpr ApiVersion kMinSupportedApi{1, 25};

// "1.41" → {1, 41}; nullopt for anything else.
std::optional<ApiVersion> parse_api_version(std::string_view text);

// min(daemon, ours). A daemon that sent no usable header gets the oldest
// version we support: newer daemons still accept it, old ones understand it.
ApiVersion negotiate_api_version(std::optional<ApiVersion> daemon, ApiVersion ours);

}  // namespace ephemera::docker
