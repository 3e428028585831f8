// [policy.default], [policy.max] and [providers.NAME.policy]: the TOML side
// of EphemeralWorkerPolicy (domain/policy.h). Keys and value forms are the
// admin API's: durations as "90s" / "1h30m" or integer seconds.
#pragma once

#include "common/status.h"
#include "config/toml_reader.h"
#include "domain/policy.h"

namespace ephemera::config {

// One layer; INVALID_ARGUMENT naming file, line and key for unknown keys and
// bad or out-of-range values.
Status read_policy_overrides(TomlReader reader, domain::PolicyOverrides& out);

// The site maxima; every value must be positive.
Status read_policy_limits(TomlReader reader, domain::PolicyLimits& out);

}  // namespace ephemera::config
