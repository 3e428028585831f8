// EphemeralWorkerPolicy: how long a worker may live, idle, start up and be
// kept after it ends. Layered site default → provider → request, capped by
// the site maxima, validated, then frozen into WorkerCreated: a reload or a
// restart never moves a running worker's deadlines.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/status.h"

namespace ephemera::domain {

using Millis = std::chrono::milliseconds;

// When a worker counts as Ready: when the backend shows it running (default),
// or only when the job system says so through the API.
enum class Readiness : uint8_t { kBackend, kApi };

struct WorkerPolicy {
  Millis max_lifetime = std::chrono::hours(4);
  Millis idle_timeout = std::chrono::minutes(10);
  Millis startup_timeout = std::chrono::minutes(5);
  std::optional<Millis> ttl_after_completion;  // unset: delete at once
  Millis failed_retention = std::chrono::hours(1);
  bool auto_cleanup_enabled = true;
  bool orphan_detection_enabled = true;
  Millis orphan_check_interval = std::chrono::minutes(5);
  Millis orphan_grace = std::chrono::minutes(10);
  Readiness readiness = Readiness::kBackend;

  bool operator==(const WorkerPolicy&) const = default;
};

// One layer: only what it sets. `ttl_after_completion` has three values:
// not mentioned (nullopt), "delete at once" (Millis(0)), or a duration.
struct PolicyOverrides {
  std::optional<Millis> max_lifetime;
  std::optional<Millis> idle_timeout;
  std::optional<Millis> startup_timeout;
  std::optional<Millis> ttl_after_completion;
  std::optional<Millis> failed_retention;
  std::optional<bool> auto_cleanup_enabled;
  std::optional<bool> orphan_detection_enabled;
  std::optional<Millis> orphan_check_interval;
  std::optional<Millis> orphan_grace;
  std::optional<Readiness> readiness;
};

// Ceilings no layer may exceed (a request asking for more gets the maximum).
struct PolicyLimits {
  Millis max_lifetime = std::chrono::hours(24);
  Millis idle_timeout = std::chrono::hours(24);
  Millis startup_timeout = std::chrono::hours(1);
  Millis ttl_after_completion = std::chrono::hours(24 * 7);
  Millis failed_retention = std::chrono::hours(24 * 7);
};

// Checks one layer: every duration positive (TTL and grace may be zero).
// INVALID_ARGUMENT names the field, prefixed by `where` ("policy.request").
Status validate(const PolicyOverrides& layer, const std::string& where);

// site default ← provider ← request, then capped by `limits`.
Result<WorkerPolicy> effective_policy(const WorkerPolicy& site_default, const PolicyOverrides& provider,
                                      const PolicyOverrides& request, const PolicyLimits& limits);

}  // namespace ephemera::domain
