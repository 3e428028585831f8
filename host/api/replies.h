// Building replies: JSON bodies and the error shape
// {"error": {"code": "...", "message": "..."}} with the status mapping of
// docs/admin-api.md. Internal to host/api.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "api/http_exchange.h"
#include "common/status.h"

namespace ephemera::api::detail {

Reply json_reply(unsigned http_status, const boost::json::value& body);
Reply error_reply(unsigned http_status, std::string_view code, const std::string& message);
// The HTTP status and code for a backend Status; RESOURCE_EXHAUSTED carries
// Retry-After (the status's own hint, else 1 s).
Reply error_reply(const Status& status);
unsigned http_status_for(StatusCode code);

}  // namespace ephemera::api::detail
