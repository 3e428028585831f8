#include "domain/worker_state.h"

#include <array>

namespace ephemera::domain {
namespace {

template <class E, size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 8> kStateNames = {
    "Created", "Initializing", "Ready", "Running", "Idle", "Terminating", "Terminated", "Failed"};
constexpr std::array<std::string_view, 5> kPhaseNames = {"pending", "running", "exited", "gone", "unknown"};
constexpr std::array<std::string_view, 3> kCleanupNames = {"none", "pending", "done"};

}  // namespace

std::string_view state_name(WorkerState s) { return kStateNames[static_cast<size_t>(s)]; }
std::optional<WorkerState> state_from_name(std::string_view n) { return lookup<WorkerState>(kStateNames, n); }

bool is_live(WorkerState s) {
  return s == WorkerState::kInitializing || s == WorkerState::kReady || s == WorkerState::kRunning ||
         s == WorkerState::kIdle;
}
bool is_final(WorkerState s) { return s == WorkerState::kTerminated || s == WorkerState::kFailed; }

std::string_view backend_phase_name(BackendPhase p) { return kPhaseNames[static_cast<size_t>(p)]; }
std::optional<BackendPhase> backend_phase_from_name(std::string_view n) {
  return lookup<BackendPhase>(kPhaseNames, n);
}

std::string_view cleanup_name(CleanupStatus c) { return kCleanupNames[static_cast<size_t>(c)]; }
std::optional<CleanupStatus> cleanup_from_name(std::string_view n) {
  return lookup<CleanupStatus>(kCleanupNames, n);
}

}  // namespace ephemera::domain
