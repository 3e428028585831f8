#include "domain/reducer.h"

namespace ephemera::domain {
namespace {

void enter(WorkerRecord& r, WorkerState s, const Event& e) {
  r.state = s;
  r.state_entered_at = e.at;
}

// A final state starts the clock to cleanup: TTL for Terminated (unset = at
// once), retention for Failed.
void finish(WorkerRecord& r, WorkerState s, const Event& e) {
  enter(r, s, e);
  r.final_reason = e.reason;
  r.backend.phase = BackendPhase::kExited;
  r.backend.exit_code = e.exit_code;
  r.backend.reason = e.reason;
  r.backend.finished_at = e.at;
  const WorkerPolicy& p = r.intent.policy;
  Millis keep = s == WorkerState::kTerminated ? p.ttl_after_completion.value_or(Millis(0)) : p.failed_retention;
  if (r.cleanup != CleanupStatus::kDone) {
    r.cleanup = CleanupStatus::kPending;
    r.cleanup_due_at = e.at + keep;
  }
}

}  // namespace

WorkerRecord apply_event(WorkerRecord r, const Event& e) {
  switch (e.type) {
    case EventType::kWorkerCreated:
      r = WorkerRecord{};
      r.worker_id = e.worker_id;
      if (e.intent) r.intent = *e.intent;
      r.created_at = e.at;
      enter(r, WorkerState::kCreated, e);
      break;
    case EventType::kWorkerInitializing:
    case EventType::kWorkerAdopted:
      r.resource_id = e.resource_id;
      r.backend.phase = BackendPhase::kPending;
      enter(r, WorkerState::kInitializing, e);
      break;
    case EventType::kWorkerReady:
      r.backend.phase = BackendPhase::kRunning;
      enter(r, WorkerState::kReady, e);
      break;
    case EventType::kWorkerRunning:
      enter(r, WorkerState::kRunning, e);
      break;
    case EventType::kWorkerIdle:
      enter(r, WorkerState::kIdle, e);
      break;
    case EventType::kWorkerTerminating:
      r.terminating_reason = e.reason;
      r.stop_grace = e.grace;
      r.force_destroy = e.force;
      enter(r, WorkerState::kTerminating, e);
      break;
    case EventType::kWorkerTerminated:
      finish(r, WorkerState::kTerminated, e);
      break;
    case EventType::kWorkerFailed:
      finish(r, WorkerState::kFailed, e);
      break;
    case EventType::kWorkerLost:
      // Lost while stopping is how a stop ends; lost otherwise is a failure.
      finish(r, r.state == WorkerState::kTerminating ? WorkerState::kTerminated : WorkerState::kFailed, e);
      r.backend.phase = BackendPhase::kGone;
      break;
    case EventType::kWorkerCleanedUp:
      r.cleanup = CleanupStatus::kDone;
      r.cleaned_up_at = e.at;
      r.cleanup_due_at.reset();
      if (r.backend.phase != BackendPhase::kExited) r.backend.phase = BackendPhase::kGone;
      break;
    case EventType::kOrphanWorkerDetected:
      return r;
  }
  r.last_seq = e.seq;
  return r;
}

}  // namespace ephemera::domain
