// When does a worker next need attention, and why? Derived from the record
// alone (persisted wall-clock instants + the frozen policy), so a restart
// recomputes exactly the same deadlines.
#pragma once

#include <optional>

#include "domain/transitions.h"

namespace ephemera::domain {

struct Deadline {
  WallTime at;
  InputKind input;  // what to feed decide() when it passes
  bool operator==(const Deadline&) const = default;
};

// Extra time past a stop's grace before it is escalated to a destroy.
inline constexpr Millis kStopEscalationMargin = std::chrono::seconds(30);

// The earliest pending deadline of the record, if any.
std::optional<Deadline> next_deadline(const WorkerRecord& record);

}  // namespace ephemera::domain
