#include "domain/transitions.h"

#include <array>

namespace ephemera::domain {
namespace {

using Verdict = Decision::Verdict;

Event event(const WorkerRecord& r, EventType type, WallTime now, std::string reason = {}) {
  Event e;
  e.worker_id = r.worker_id;
  e.type = type;
  e.at = now;
  e.reason = std::move(reason);
  return e;
}

Decision apply(std::vector<Event> events, SideEffect effect = SideEffect::kNone) {
  return Decision{Verdict::kApply, std::move(events), effect, {}};
}
Decision noop() { return Decision{Verdict::kNoop, {}, SideEffect::kNone, {}}; }
Decision noop_with(SideEffect effect) { return Decision{Verdict::kNoop, {}, effect, {}}; }
Decision reject(const WorkerRecord& r, InputKind k) {
  return Decision{Verdict::kReject, {}, SideEffect::kNone,
                  std::string(input_name(k)) + " is not allowed in state " + std::string(state_name(r.state))};
}

bool created_or_live(WorkerState s) { return s == WorkerState::kCreated || is_live(s); }

Decision terminating(const WorkerRecord& r, WallTime now, std::string reason, Millis grace,
                     bool force, SideEffect effect) {
  Event e = event(r, EventType::kWorkerTerminating, now, std::move(reason));
  e.grace = grace;
  e.force = force;
  return apply({std::move(e)}, effect);
}

// The backend says the workload ended: Terminated for a clean exit 0, Failed otherwise.
Decision exited(const WorkerRecord& r, const Input& in, WallTime now) {
  if (r.state == WorkerState::kTerminating) {
    Event e = event(r, EventType::kWorkerTerminated, now, r.terminating_reason);
    e.exit_code = in.exit_code;
    return apply({std::move(e)});
  }
  bool clean = in.exit_code == 0 && in.reason != "oom" && in.reason != "start_failed";
  Event e = event(r, clean ? EventType::kWorkerTerminated : EventType::kWorkerFailed, now,
                  clean ? "exit 0" : (in.reason.empty() ? "exit " + std::to_string(in.exit_code.value_or(-1))
                                                        : in.reason));
  e.exit_code = in.exit_code;
  return apply({std::move(e)});
}

Decision gone(const WorkerRecord& r, WallTime now) {
  if (r.state == WorkerState::kTerminating) {
    return apply({event(r, EventType::kWorkerTerminated, now, r.terminating_reason)});
  }
  return apply({event(r, EventType::kWorkerFailed, now, "lost"), event(r, EventType::kWorkerCleanedUp, now)});
}

Decision decide_live_report(const WorkerRecord& r, const Input& in) {
  WorkerState s = r.state;
  switch (in.kind) {
    case InputKind::kApiReady:
      // Only a repeat is a no-op: "ready" from a worker that had a job is
      // not in the table, so the job system hears of its mistake.
      if (s == WorkerState::kReady) return noop();
      break;
    case InputKind::kApiRunning:
      if (s == WorkerState::kRunning) return noop();
      break;
    case InputKind::kApiIdle:
      if (s == WorkerState::kIdle || s == WorkerState::kReady) return noop();  // Ready → idle is a no-op
      break;
    default:
      break;
  }
  return reject(r, in.kind);
}

}  // namespace

Event worker_created(std::string worker_id, CreationIntent intent, WallTime now) {
  Event e;
  e.worker_id = std::move(worker_id);
  e.type = EventType::kWorkerCreated;
  e.at = now;
  e.intent = std::move(intent);
  return e;
}

Decision decide(const WorkerRecord& r, const Input& in, WallTime now) {
  const WorkerState s = r.state;
  const WorkerPolicy& policy = r.intent.policy;
  switch (in.kind) {
    case InputKind::kCreateOk:
    case InputKind::kRecoveredFound: {
      if (s == WorkerState::kInitializing && in.kind == InputKind::kCreateOk) return noop();
      if (s != WorkerState::kCreated) return reject(r, in.kind);
      Event e = event(r, in.kind == InputKind::kCreateOk ? EventType::kWorkerInitializing
                                                        : EventType::kWorkerAdopted, now);
      e.resource_id = in.resource_id;
      return apply({std::move(e)});
    }
    case InputKind::kCreateFailed:
      if (s != WorkerState::kCreated) return reject(r, in.kind);
      return apply({event(r, EventType::kWorkerFailed, now, "create_failed: " + in.reason)});
    case InputKind::kCreateUnknown:
      if (s != WorkerState::kCreated) return reject(r, in.kind);
      return noop_with(SideEffect::kLookupByLabel);
    case InputKind::kBackendRunning:
      if (s == WorkerState::kInitializing) {
        if (policy.readiness == Readiness::kApi) return noop();
        return apply({event(r, EventType::kWorkerReady, now)});
      }
      if (is_live(s) || s == WorkerState::kTerminating) return noop();
      return reject(r, in.kind);
    case InputKind::kApiReady:
      if (s == WorkerState::kInitializing) return apply({event(r, EventType::kWorkerReady, now)});
      return decide_live_report(r, in);
    case InputKind::kApiRunning:
      if (s == WorkerState::kReady || s == WorkerState::kIdle) return apply({event(r, EventType::kWorkerRunning, now)});
      return decide_live_report(r, in);
    case InputKind::kApiIdle:
      if (s == WorkerState::kRunning) return apply({event(r, EventType::kWorkerIdle, now)});
      return decide_live_report(r, in);
    case InputKind::kApiComplete:
      if (!is_live(s)) return reject(r, in.kind);
      return terminating(r, now, "completed", in.grace, false, SideEffect::kStop);
    case InputKind::kApiDelete:
      if (s == WorkerState::kTerminating && r.terminating_reason == "deleted" && r.force_destroy == in.force) {
        return noop_with(SideEffect::kDestroy);  // a repeated delete: no event, destroy again
      }
      if (created_or_live(s) || s == WorkerState::kTerminating) {
        return terminating(r, now, "deleted", in.grace, in.force, SideEffect::kDestroy);
      }
      // A finished worker inside its TTL: clean it up now (no state change).
      if (is_final(s) && r.cleanup != CleanupStatus::kDone) return noop_with(SideEffect::kDestroy);
      return reject(r, in.kind);
    case InputKind::kStartupTimeout:
      if (s != WorkerState::kInitializing) return reject(r, in.kind);
      return terminating(r, now, "startup_timeout", Millis(0), false, SideEffect::kStop);
    case InputKind::kIdleTimeout:
      if (s != WorkerState::kReady && s != WorkerState::kIdle) return reject(r, in.kind);
      return terminating(r, now, "idle_timeout", Millis(0), false, SideEffect::kStop);
    case InputKind::kMaxLifetime:
      if (!created_or_live(s)) return reject(r, in.kind);
      return terminating(r, now, "max_lifetime", Millis(0), false, SideEffect::kStop);
    case InputKind::kBackendExited:
      if (!is_live(s) && s != WorkerState::kTerminating) return reject(r, in.kind);
      return exited(r, in, now);
    case InputKind::kBackendGone:
      if (!is_live(s) && s != WorkerState::kTerminating) return reject(r, in.kind);
      return gone(r, now);
    case InputKind::kStopOverdue:
      if (s != WorkerState::kTerminating) return reject(r, in.kind);
      return noop_with(SideEffect::kDestroy);  // escalate: no event
    case InputKind::kCleanupDue:
      if (!is_final(s) || r.cleanup == CleanupStatus::kDone) return reject(r, in.kind);
      return noop_with(policy.auto_cleanup_enabled ? SideEffect::kDestroy : SideEffect::kNone);
    case InputKind::kCleanupConfirmed:
      if (is_final(s) && r.cleanup == CleanupStatus::kDone) return noop();
      if (!is_final(s)) return reject(r, in.kind);
      return apply({event(r, EventType::kWorkerCleanedUp, now)});
    case InputKind::kRecoveredGone:
      // Created with nothing found is not lost: the engine creates it (same name).
      if (s == WorkerState::kCreated) return reject(r, in.kind);
      if (is_final(s)) {
        if (r.cleanup == CleanupStatus::kDone) return noop();
        return apply({event(r, EventType::kWorkerCleanedUp, now)});  // e.g. Kubernetes' own TTL removed it
      }
      return apply({event(r, EventType::kWorkerLost, now, "lost"), event(r, EventType::kWorkerCleanedUp, now)});
  }
  return reject(r, in.kind);
}

std::string_view input_name(InputKind k) {
  static constexpr std::array<std::string_view, 19> kNames = {
      "create_ok",    "create_failed", "create_unknown", "backend_running", "backend_exited",
      "backend_gone", "api_ready",     "api_running",    "api_idle",        "api_complete",
      "api_delete",   "startup_timeout", "idle_timeout", "max_lifetime",    "stop_overdue",
      "cleanup_due",  "cleanup_confirmed", "recovered_found", "recovered_gone"};
  return kNames[static_cast<size_t>(k)];
}

}  // namespace ephemera::domain
