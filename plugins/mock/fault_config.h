// Fault-injection knobs, per operation. Parsed from settings.faults and from
// the run-time override file <state_dir>/faults.json (same format).
#pragma once

#include "mock/result.h"

#include <boost/json/value.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ephemera::mock {

// Operations that reach the simulated backend (validate_config, open,
// capabilities, close and watch never do, so they take no faults).
enum class Op { create, get, list, stop, destroy, harden, health };
inline constexpr size_t kOpCount = 7;
std::string_view op_name(Op op);

struct OpFault {
  std::chrono::milliseconds latency{0};  // real sleep before the call runs
  int64_t fail_nth = 0;                  // 1-based call number that fails; 0 = off
  int64_t fail_first = 0;                // the first N calls fail
  int64_t fail_every = 0;                // every Nth call fails; 0 = off
  double fail_fraction = 0.0;            // probability, drawn from a seeded generator
  uint64_t seed = 1;
  int32_t status = EPH_UNAVAILABLE;
  int64_t retry_after_ms = -1;
  // The operation runs (its effect happens) and only then the chosen status
  // is answered: the "unknown outcome" a real network produces.
  bool after_success = false;
};

using FaultTable = std::array<OpFault, kOpCount>;

// Parses {"create": {...}, "destroy": {...}}; `pointer` locates `faults` in
// its document for error payloads ("/settings/faults" or "" for faults.json).
Result<FaultTable> parse_faults(const boost::json::value& faults, const std::string& pointer);

// "UNAVAILABLE" <-> EPH_UNAVAILABLE, for every EPH_* code but EPH_OK.
std::optional<int32_t> status_from_name(std::string_view name);
std::string_view status_name(int32_t status);

}  // namespace ephemera::mock
