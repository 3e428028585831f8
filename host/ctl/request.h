// What each command asks of the admin API (docs/admin-api.md), as a plain
// value: building it does no I/O, so tests check method, path, query and
// body without a server.
#pragma once

#include <string>

#include "ctl/args.h"

namespace ephemera::ctl {

struct Request {
  std::string method;  // "GET", "POST", "DELETE"
  std::string target;  // path plus query: "/v1/workers?state=Ready&limit=100"
  std::string body;    // JSON, or empty for none

  bool operator==(const Request&) const = default;
};

// The (first) request of args.command. status sends three (see
// status_requests); workers list repeats with args.page_after set; events
// --follow repeats with args.after_seq advanced. kHelp and kVersion need no
// request and get an empty one. The spec of create/render comes from
// args.spec_json (already loaded) with the spec flags laid over it.
Request build_request(const Args& args);

// GET /healthz, GET /readyz, GET /v1/providers, in that order.
struct StatusRequests {
  Request healthz, readyz, providers;
};
StatusRequests status_requests();

// The long-poll wait each `events --follow` request asks the server for.
inline constexpr const char* kFollowWait = "25s";

// Percent-encodes a query component (everything but RFC 3986 unreserved).
std::string url_encode(std::string_view text);

}  // namespace ephemera::ctl
