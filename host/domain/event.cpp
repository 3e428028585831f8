#include "domain/event.h"

#include <array>

namespace ephemera::domain {
namespace {
constexpr std::array<std::string_view, 12> kNames = {
    "WorkerCreated", "WorkerInitializing", "WorkerAdopted",   "WorkerReady",
    "WorkerRunning", "WorkerIdle",         "WorkerTerminating", "WorkerTerminated",
    "WorkerFailed",  "WorkerLost",         "WorkerCleanedUp", "OrphanWorkerDetected"};
}  // namespace

std::string_view event_type_name(EventType t) { return kNames[static_cast<size_t>(t)]; }

std::optional<EventType> event_type_from_name(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

}  // namespace ephemera::domain
