// The simulated workload: what a resource shows at a given instant of the
// host's clock. Pure functions of the persisted record and `now_ms`, so a
// fake clock drives every worker and a status probe never changes anything.
#pragma once

#include "mock/resource.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ephemera::mock {

enum class Phase { pending, running, exited };
std::string_view phase_name(Phase phase);

// Exit codes a POSIX shell reports for a process ended by a signal.
inline constexpr int64_t kExitSigterm = 143;  // 128 + SIGTERM
inline constexpr int64_t kExitSigkill = 137;  // 128 + SIGKILL
inline constexpr int64_t kExitStartFailed = 128;

struct Observation {
  Phase phase = Phase::pending;
  std::optional<int64_t> started_at_ms;
  std::optional<int64_t> finished_at_ms;
  int64_t exit_code = 0;
  std::string reason;  // set when exited
};

Observation observe(const Resource& r, int64_t now_ms);

// Asks the workload to stop: SIGTERM now, SIGKILL after `grace_ms`. Returns
// false (nothing to persist) when it already exited or an earlier stop ends
// it no later than this one would.
bool request_stop(Resource& r, int64_t now_ms, int64_t grace_ms);

// The worker-info document (sdk/README.md) for a resource as observed.
boost::json::object worker_info(const Resource& r, const Observation& o);
// The document a watch pushes when a resource disappeared: its last worker
// info without the exit fields, state "gone".
boost::json::object gone_info(boost::json::object last_info);

}  // namespace ephemera::mock
