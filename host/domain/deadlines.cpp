#include "domain/deadlines.h"

namespace ephemera::domain {
namespace {

void consider(std::optional<Deadline>& best, WallTime at, InputKind input) {
  if (!best || at < best->at) best = Deadline{at, input};
}

}  // namespace

std::optional<Deadline> next_deadline(const WorkerRecord& r) {
  const WorkerPolicy& p = r.intent.policy;
  std::optional<Deadline> best;
  // max_lifetime binds in every state before Terminating — Running included.
  if (r.state == WorkerState::kCreated || is_live(r.state)) {
    consider(best, r.created_at + p.max_lifetime, InputKind::kMaxLifetime);
  }
  switch (r.state) {
    case WorkerState::kInitializing:
      consider(best, r.state_entered_at + p.startup_timeout, InputKind::kStartupTimeout);
      break;
    case WorkerState::kReady:
    case WorkerState::kIdle:
      // From entering the state: reports of the same state never move it.
      consider(best, r.state_entered_at + p.idle_timeout, InputKind::kIdleTimeout);
      break;
    case WorkerState::kTerminating:
      consider(best, r.state_entered_at + r.stop_grace + kStopEscalationMargin, InputKind::kStopOverdue);
      break;
    case WorkerState::kTerminated:
    case WorkerState::kFailed:
      if (r.cleanup == CleanupStatus::kPending && r.cleanup_due_at && p.auto_cleanup_enabled) {
        consider(best, *r.cleanup_due_at, InputKind::kCleanupDue);
      }
      break;
    default:
      break;
  }
  return best;
}

}  // namespace ephemera::domain
