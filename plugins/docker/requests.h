// The small request documents of the ABI: a reference (get/stop/destroy) and
// a list selector. Parsed before any I/O, so bad input is INVALID_ARGUMENT
// whether or not the daemon is up.
#pragma once

#include "docker/json_reader.h"
#include "docker/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ephemera::docker {

inline constexpr int64_t kMaxPageSize = 1000;

struct Reference {
  std::string resource_id;  // a container id (hex), pins the exact container
  std::string name;         // the container name, when no id is known
  std::string worker_id;    // when set, a container with another worker-id label is not ours
  // What goes into /containers/{target}/...
  const std::string& target() const { return resource_id.empty() ? name : resource_id; }
};

Result<Reference> parse_reference(std::string_view ref_json);

struct Selector {
  Labels labels;
  int64_t limit = 0;       // defaulted and capped
  std::string after_id;    // the continue token: the last id of the previous page
};

Result<Selector> parse_selector(std::string_view selector_json, int64_t default_limit);

}  // namespace ephemera::docker
