// WorkerRecord: the current state of one worker, as folded from its events.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "domain/event.h"
#include "domain/worker_state.h"

namespace ephemera::domain {

struct WorkerRecord {
  std::string worker_id;
  CreationIntent intent;  // provider, resource name, labels, frozen policy
  std::string resource_id;

  WorkerState state = WorkerState::kCreated;
  WallTime created_at;
  WallTime state_entered_at;  // timers count from here (idle, startup, stop)

  BackendObservation backend;  // last observation that an event recorded
  CleanupStatus cleanup = CleanupStatus::kNone;
  std::optional<WallTime> cleanup_due_at;
  std::optional<WallTime> cleaned_up_at;

  std::string terminating_reason;  // why it was asked to stop
  Millis stop_grace{0};
  bool force_destroy = false;
  std::string final_reason;  // Terminated/Failed reason
  uint64_t last_seq = 0;

  bool operator==(const WorkerRecord&) const = default;
};

}  // namespace ephemera::domain
