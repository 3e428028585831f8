// A request target split into decoded path segments and query parameters,
// plus typed accessors whose errors name the parameter. Internal to host/api.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ephemera::api::detail {

struct Target {
  std::vector<std::string> segments;                // "/v1/workers/w-1" → {"v1", "workers", "w-1"}
  std::multimap<std::string, std::string> query;    // repeated keys kept (label=...)

  std::optional<std::string> get(const std::string& key) const;  // the first value
  Result<bool> flag(const std::string& key, bool fallback) const;  // "true" / "false" / "1" / "0"
  Result<uint64_t> number(const std::string& key, uint64_t fallback) const;
  Result<std::chrono::milliseconds> duration(const std::string& key, std::chrono::milliseconds fallback) const;
};

// INVALID_ARGUMENT for a target that is not an absolute path or has bad
// percent-encoding.
Result<Target> parse_target(std::string_view target);

}  // namespace ephemera::api::detail
