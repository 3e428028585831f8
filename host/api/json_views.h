// The admin API's JSON shapes (docs/admin-api.md): workers and events out,
// create requests and policies in. Only std types here so that callers do not
// pull in Boost.JSON; api/json_detail.h has the Boost.JSON faces for api/*.cpp.
#pragma once

#include <string>

#include "api/api_backend.h"
#include "common/clock.h"
#include "common/status.h"
#include "domain/event.h"
#include "domain/policy.h"
#include "domain/worker_record.h"

namespace ephemera::api {

// "2026-12-03T20:15:00.123Z": UTC, always with milliseconds.
std::string format_rfc3339(WallTime t);

std::string worker_to_json(const domain::WorkerRecord& worker);
std::string event_to_json(const domain::Event& event);

// A request's "policy" object. Durations are strings ("90s", "1h30m") or
// integer seconds; null means "not set". INVALID_ARGUMENT names the key for
// unknown keys and bad values.
Result<domain::PolicyOverrides> parse_policy_json(const std::string& json_text);

// The body of POST /v1/workers. INVALID_ARGUMENT for malformed JSON, missing
// or mistyped members and unknown keys.
Result<CreateWorkerRequest> parse_create_request(const std::string& body);

}  // namespace ephemera::api
