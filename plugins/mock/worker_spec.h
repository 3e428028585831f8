// The parts of a worker spec (sdk/README.md) the mock acts on, including its
// own extension object `extensions.mock`.
#pragma once

#include "mock/resource.h"
#include "mock/result.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ephemera::mock {

// `extensions.mock`: how the simulated workload behaves.
struct MockBehaviour {
  std::optional<int64_t> run_ms;          // finishes by itself after this long
  int64_t exit_code = 0;
  std::string exit_reason;                // e.g. "oom"; default by exit code
  bool ignore_sigterm = false;            // stop waits the full grace, exits 137
  bool fail_start = false;                // exits with reason start_failed
  std::optional<int64_t> start_delay_ms;  // overrides settings.start_delay_ms
};

struct WorkerSpec {
  std::string name;
  std::string worker_id;  // spec worker_id, else the worker-id label
  Labels labels;
  std::string image;
  MockBehaviour mock;
};

// Checks types of the members the mock reads (others are ignored, so the
// schema can grow). `extensions.mock` is strict: a typo there would silently
// change a test's scenario. Errors are EPH_INVALID_ARGUMENT with a pointer.
Result<WorkerSpec> parse_spec(const boost::json::object& spec);

// A Kubernetes-style name: 1..63 of [a-z0-9.-], alphanumeric at both ends.
bool is_valid_name(std::string_view name);

}  // namespace ephemera::mock
