// The projection: folding a worker's events, in order, gives its record.
// Pure and deterministic — a projection rebuilt from the log must equal the
// stored one, so nothing here may read a clock or anything but the event.
#pragma once

#include "domain/event.h"
#include "domain/worker_record.h"

namespace ephemera::domain {

// Applies one event to a record (an empty record for WorkerCreated).
// OrphanWorkerDetected does not describe a tracked worker: it leaves the record as is.
WorkerRecord apply_event(WorkerRecord record, const Event& event);

}  // namespace ephemera::domain
