// The three things a worker record keeps apart (DESIGN.md, "The lifecycle"):
// its lifecycle state, what the backend last showed, and cleanup progress.
// Backend "running" never means lifecycle Running: Running means busy with a
// job, and only the job system says so.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace ephemera::domain {

enum class WorkerState : uint8_t {
  kCreated,       // intent recorded, provider create not yet confirmed
  kInitializing,  // resource exists, not yet up
  kReady,         // up, never had a job
  kRunning,       // busy with a job
  kIdle,          // up, had a job
  kTerminating,   // asked to stop
  kTerminated,    // final: ended normally (or by us)
  kFailed,        // final: ended abnormally
};
inline constexpr WorkerState kAllStates[] = {
    WorkerState::kCreated, WorkerState::kInitializing, WorkerState::kReady,      WorkerState::kRunning,
    WorkerState::kIdle,    WorkerState::kTerminating,  WorkerState::kTerminated, WorkerState::kFailed};

std::string_view state_name(WorkerState s);  // "Created", "Ready", ...
std::optional<WorkerState> state_from_name(std::string_view name);

// Initializing, Ready, Running, Idle.
bool is_live(WorkerState s);
// Terminated, Failed.
bool is_final(WorkerState s);

enum class BackendPhase : uint8_t { kPending, kRunning, kExited, kGone, kUnknown };
std::string_view backend_phase_name(BackendPhase p);
std::optional<BackendPhase> backend_phase_from_name(std::string_view name);

// What the provider last observed.
struct BackendObservation {
  BackendPhase phase = BackendPhase::kUnknown;
  std::optional<int32_t> exit_code;
  std::string reason;  // "completed", "oom", "killed", "start_failed", ...
  std::optional<WallTime> finished_at;
  bool operator==(const BackendObservation&) const = default;
};

enum class CleanupStatus : uint8_t { kNone, kPending, kDone };
std::string_view cleanup_name(CleanupStatus c);
std::optional<CleanupStatus> cleanup_from_name(std::string_view name);

}  // namespace ephemera::domain
