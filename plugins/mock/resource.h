// One simulated resource as persisted in <state_dir>/resources/<id>.json.
// Only instants and intentions are stored; what the workload is doing at a
// given moment is computed from them (simulation.h), so reads never write.
#pragma once

#include "mock/result.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ephemera::mock {

using Labels = std::map<std::string, std::string>;

inline constexpr std::string_view kWorkerIdLabel = "ephemera.dev/worker-id";

struct Resource {
  std::string resource_id;
  std::string name;
  std::string worker_id;
  Labels labels;
  std::string image;
  int64_t created_at_ms = 0;
  int64_t start_delay_ms = 0;
  std::optional<int64_t> run_ms;         // absent: runs until stopped
  int64_t exit_code = 0;                 // when it finishes by itself
  std::string exit_reason;               // empty: "completed" for 0, else "error"
  bool ignore_sigterm = false;
  bool fail_start = false;
  std::optional<int64_t> stop_requested_at_ms;
  std::optional<int64_t> stop_deadline_ms;  // stop_requested_at + grace

  // The worker id from the field, else from the label.
  std::string effective_worker_id() const;
};

boost::json::object labels_to_json(const Labels& labels);

// Serializes the resource file (schema 1). Stable member order.
std::string resource_to_json(const Resource& r);

// Parses a resource file. `file_stem` is the file name without ".json": it is
// the resource_id when the file omits one and must match it otherwise.
// `mtime_ms` stands in for a missing created_at_ms (a hand-planted orphan).
Result<Resource> resource_from_json(std::string_view text, std::string_view file_stem,
                                    int64_t mtime_ms);

// Resource ids double as file names: [A-Za-z0-9_.-], no leading dot, 1..128.
bool is_valid_resource_id(std::string_view id);

}  // namespace ephemera::mock
