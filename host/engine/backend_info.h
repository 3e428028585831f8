// A provider's worker-info document, parsed: what the backend shows.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/transitions.h"

namespace ephemera::engine {

struct BackendInfo {
  std::string worker_id;  // from the document, else the worker-id label
  std::string resource_id;
  std::string name;
  std::string state;  // pending, running, exited, gone, unknown
  std::optional<int32_t> exit_code;
  std::string reason;
  std::optional<int64_t> created_at_ms;
  std::map<std::string, std::string> labels;
};

Result<BackendInfo> parse_backend_info(const std::string& json);
// A list page: items and the continue token.
Result<std::pair<std::vector<BackendInfo>, std::string>> parse_list_page(const std::string& json);

// The lifecycle input an observation means, if any (pending/unknown: none).
std::optional<domain::Input> observation_input(const BackendInfo& info);

}  // namespace ephemera::engine
