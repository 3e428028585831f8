// The events of a worker's life. The log of these is the truth; the worker
// records (the projection) are a fold of it (reducer.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "domain/policy.h"

namespace ephemera::domain {

enum class EventType : uint8_t {
  kWorkerCreated,
  kWorkerInitializing,
  kWorkerAdopted,
  kWorkerReady,
  kWorkerRunning,
  kWorkerIdle,
  kWorkerTerminating,
  kWorkerTerminated,
  kWorkerFailed,
  kWorkerLost,
  kWorkerCleanedUp,
  kOrphanWorkerDetected,
};
std::string_view event_type_name(EventType t);  // "WorkerCreated", ...
std::optional<EventType> event_type_from_name(std::string_view name);

// What WorkerCreated records: the intent, committed before the provider is called.
struct CreationIntent {
  std::string provider;       // configured provider name
  std::string resource_name;  // deterministic: a retry finds the same resource
  // The user's labels. The ownership labels (managed-by, site, instance,
  // provider, worker id) are not stored: they follow from the host and the
  // worker, and 100,000 copies of them would be most of a worker's memory.
  std::map<std::string, std::string> labels;
  WorkerPolicy policy;        // effective, frozen
  std::string spec_hash;      // sha256 of the full spec
  std::string redacted_spec;  // JSON without secret values
  bool operator==(const CreationIntent&) const = default;
};

struct Event {
  uint64_t seq = 0;  // assigned by the store: gap-free, increasing
  std::string worker_id;
  EventType type = EventType::kWorkerCreated;
  WallTime at;
  std::string reason;               // Terminating/Terminated/Failed/Lost/Orphan
  std::optional<int32_t> exit_code;  // Terminated/Failed
  std::string resource_id;          // Initializing/Adopted/Orphan: the backend's id
  Millis grace{0};                  // Terminating: the stop grace period
  bool force = false;               // Terminating(deleted): destroy with force
  std::optional<CreationIntent> intent;  // WorkerCreated only
  std::string provider;             // OrphanWorkerDetected: where it was found
  bool operator==(const Event&) const = default;
};

}  // namespace ephemera::domain
