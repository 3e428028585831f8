// The HTTP client seam: commands talk to an HttpClient, the binary uses the
// unix-socket one. Beast stays in http_client.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "ctl/outcome.h"
#include "ctl/request.h"

namespace ephemera::ctl {

struct Response {
  int status = 0;  // HTTP status code
  std::string body;
  std::string retry_after;  // the Retry-After header of a 429, or empty
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // One request, one answer. Any HTTP status is a Response; only transport
  // trouble (cannot connect, timeout, malformed answer) is an error, and
  // its message names the socket.
  virtual Outcome<Response> send(const Request& request) = 0;
};

struct ClientOptions {
  std::string socket_path;
  std::optional<std::string> token;  // sent as "Authorization: Bearer <token>"
  // Connect and the whole exchange. Longer than the events long-poll wait
  // (25 s), so a quiet follow never times out.
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

// A connection per request: requests are rare, and the daemon closes idle
// connections anyway. Not thread-safe; one command uses it at a time.
std::unique_ptr<HttpClient> make_unix_socket_client(ClientOptions options);

}  // namespace ephemera::ctl
