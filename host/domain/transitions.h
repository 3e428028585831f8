// The lifecycle transition table (DESIGN.md, "The lifecycle" — normative).
//
// decide() is pure: given a record, an input and the time, it answers which
// events to write and which side effect to start — or that the input is a
// no-op (a report of the state the worker is already in: writes nothing,
// resets no timer), or that it is rejected (not in the table: writes nothing).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/event.h"
#include "domain/worker_record.h"

namespace ephemera::domain {

enum class InputKind : uint8_t {
  kCreateOk,         // provider confirmed the create
  kCreateFailed,     // provider refused it for good
  kCreateUnknown,    // timeout / unavailable: outcome unknown
  kBackendRunning,   // provider shows the workload running
  kBackendExited,    // provider shows it ended (exit_code, reason)
  kBackendGone,      // the resource disappeared, not by us
  kApiReady,
  kApiRunning,
  kApiIdle,
  kApiComplete,
  kApiDelete,        // grace, force
  kStartupTimeout,
  kIdleTimeout,
  kMaxLifetime,
  kStopOverdue,      // Terminating past grace + margin
  kCleanupDue,
  kCleanupConfirmed, // provider confirmed the destroy
  kRecoveredFound,   // recovery: resource found by its worker-id label
  kRecoveredGone,    // recovery: a tracked resource is gone
};
inline constexpr InputKind kAllInputs[] = {
    InputKind::kCreateOk,       InputKind::kCreateFailed,   InputKind::kCreateUnknown,
    InputKind::kBackendRunning, InputKind::kBackendExited,  InputKind::kBackendGone,
    InputKind::kApiReady,       InputKind::kApiRunning,     InputKind::kApiIdle,
    InputKind::kApiComplete,    InputKind::kApiDelete,      InputKind::kStartupTimeout,
    InputKind::kIdleTimeout,    InputKind::kMaxLifetime,    InputKind::kStopOverdue,
    InputKind::kCleanupDue,     InputKind::kCleanupConfirmed, InputKind::kRecoveredFound,
    InputKind::kRecoveredGone};
std::string_view input_name(InputKind k);

struct Input {
  // Most inputs carry only their kind: Input{InputKind::kApiIdle}.
  Input(InputKind k = InputKind::kApiReady) : kind(k) {}  // NOLINT: implicit by design
  InputKind kind;
  std::optional<int32_t> exit_code;  // kBackendExited
  std::string reason;                // kBackendExited ("oom", ...), kCreateFailed
  std::string resource_id;           // kCreateOk, kRecoveredFound
  Millis grace{0};                   // kApiDelete, kApiComplete
  bool force = false;                // kApiDelete
};

enum class SideEffect : uint8_t {
  kNone,
  kLookupByLabel,  // outcome unknown: find the resource, adopt or re-create with the same name
  kStop,           // end the workload, keep the resource where the backend can
  kDestroy,        // remove the resource
};

struct Decision {
  enum class Verdict : uint8_t { kApply, kNoop, kReject };
  Verdict verdict = Verdict::kReject;
  std::vector<Event> events;  // `at` = now, `seq` = 0 (the store assigns it)
  SideEffect effect = SideEffect::kNone;
  std::string why;  // for kReject: what the table says instead
};

Decision decide(const WorkerRecord& record, const Input& input, WallTime now);

// The WorkerCreated event for a new worker (the "— → Created" row).
Event worker_created(std::string worker_id, CreationIntent intent, WallTime now);

}  // namespace ephemera::domain
