// One HTTP exchange as the router sees it, free of Beast: the session
// (http_session.cpp) translates from and to the wire. Internal to host/api.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace ephemera::api::detail {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // "/v1/workers?state=Ready"
  std::string authorization;
  std::string body;
};

struct Reply {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::optional<std::chrono::seconds> retry_after;
  std::string allow;  // 405: the methods the route takes
  bool ask_for_token = false;  // 401: WWW-Authenticate: Bearer
};

// Called exactly once per request, on the io_context thread.
using Respond = std::function<void(Reply)>;

// Lets a waiting handler (a long-poll follower) learn that its client went
// away, so it can drop the wait instead of holding it until the timeout.
struct ClientGone {
  std::function<void()> notify;  // set by the handler, called by the session
};

}  // namespace ephemera::api::detail
