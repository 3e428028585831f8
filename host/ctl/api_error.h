// From an HTTP answer to what the user and scripts see: the exit code, and
// one line naming the API error code and message.
#pragma once

#include "ctl/http_client.h"
#include "ctl/outcome.h"

namespace ephemera::ctl {

// 2xx → kOk, 404 → kNotFound, anything else → kError.
ExitCode exit_code_for_http(int status);

// From {"error": {"code", "message"}}: "NOT_FOUND: no worker w-1 (HTTP 404)";
// a 429 adds its Retry-After. A body that is not an API error is quoted as is.
CtlError error_from_response(const Response& response);

}  // namespace ephemera::ctl
