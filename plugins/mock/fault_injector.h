// Decides, per call, which injected fault a call meets. The knobs come from
// settings.faults, replaced while <state_dir>/faults.json exists (re-read on
// every call, so a test changes faults at run time). Call counters and random
// generators restart whenever the active knobs change.
//
// Thread-safety: next() may be called concurrently.
#pragma once

#include "mock/fault_config.h"
#include "mock/result.h"

#include <ephemera/provider.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace ephemera::mock {

struct FaultDecision {
  std::chrono::milliseconds latency{0};
  MaybeError failure;          // the status to answer, if this call fails
  bool after_success = false;  // ... after the operation ran
};

class FaultInjector {
 public:
  FaultInjector(const FaultTable& configured, std::filesystem::path override_file,
                sdk::Host host);

  // Counts one call of `op` and decides its fault.
  FaultDecision next(Op op);

 private:
  void reload();  // caller holds mu_
  void reset(const FaultTable& table);

  const FaultTable configured_;
  const std::filesystem::path override_file_;
  const sdk::Host host_;
  std::mutex mu_;
  FaultTable active_{};
  std::optional<std::string> override_text_;  // last faults.json seen
  std::array<int64_t, kOpCount> calls_{};
  std::array<std::mt19937_64, kOpCount> random_{};
};

// Sleeps `latency` of real time, waking early when the host cancels the call
// or its deadline (measured from `call_start`) passes; then answers
// EPH_DEADLINE_EXCEEDED and the operation must not run.
MaybeError sleep_within_deadline(const sdk::Call& call,
                                 std::chrono::steady_clock::time_point call_start,
                                 std::chrono::milliseconds latency);

}  // namespace ephemera::mock
