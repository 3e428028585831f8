// JSON forms of what the store persists: events (the log's payload column),
// worker records (the projection's record column) and the frozen policy.
//
// Round trips are exact: decode(encode(x)) == x for every Event and
// WorkerRecord. So instants are integer nanoseconds since the Unix epoch
// ("at_ns"), not milliseconds, and durations integer milliseconds ("…_ms",
// Millis is exact in them). Every document carries "v"; one written by a
// newer payload version is refused with INVALID_ARGUMENT, never guessed at.
//
// Errors are values: malformed JSON or a missing/mistyped field is
// INVALID_ARGUMENT naming the field. Boost.JSON stays behind this header.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/event.h"
#include "domain/policy.h"
#include "domain/worker_record.h"

namespace ephemera::store {

std::string encode_event(const domain::Event& event);
Result<domain::Event> decode_event(std::string_view json);

std::string encode_record(const domain::WorkerRecord& record);
Result<domain::WorkerRecord> decode_record(std::string_view json);

// Durations as integer milliseconds; ttl_after_completion_ms is null when unset.
std::string encode_policy(const domain::WorkerPolicy& policy);
Result<domain::WorkerPolicy> decode_policy(std::string_view json);

}  // namespace ephemera::store
