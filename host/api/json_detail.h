// Boost.JSON faces of json_views.h, for api/*.cpp only (they include Beast or
// Boost.JSON anyway). Never include this from a header outside host/api/.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/status.h"
#include "domain/event.h"
#include "domain/policy.h"
#include "domain/worker_record.h"

namespace ephemera::api::detail {

boost::json::object worker_object(const domain::WorkerRecord& worker);
boost::json::object event_object(const domain::Event& event);
Result<domain::PolicyOverrides> policy_from_json(const boost::json::value& policy);

// Parses `text`; INVALID_ARGUMENT "malformed JSON: ..." instead of throwing.
Result<boost::json::value> parse_json(const std::string& text);

}  // namespace ephemera::api::detail
