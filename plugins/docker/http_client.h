// A small HTTP/1.1 client over libcurl for the Engine API: unix socket
// (CURLOPT_UNIX_SOCKET_PATH) or TCP with optional TLS. One easy handle per
// request keeps it thread-safe without locks (the API is local and cheap to
// reach; create/start dominate the latency anyway).
//
// Errors: only transport failures become an Error here (daemon down →
// UNAVAILABLE, timeout or cancellation → DEADLINE_EXCEEDED); every HTTP
// status, 4xx/5xx included, is returned as a response for the caller to map.
#pragma once

#include "docker/docker_config.h"
#include "docker/result.h"

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace ephemera::docker {

struct HttpRequest {
  std::string method = "GET";
  std::string target;                    // path + query, e.g. "/v1.41/containers/json?all=1"
  std::optional<std::string> json_body;  // sent with Content-Type: application/json
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string header(const std::string& lower_name) const;
};

// The budget of one call: an absolute deadline (from the ABI's relative one)
// and the host's cancel flag, polled while the transfer runs.
struct CallLimits {
  std::chrono::steady_clock::time_point deadline;
  std::function<bool()> cancelled;  // may be empty
  static CallLimits within(std::chrono::milliseconds budget, std::function<bool()> cancelled = {});
  std::chrono::milliseconds remaining() const;
  bool expired() const { return remaining().count() <= 0 || (cancelled && cancelled()); }
};

// Lets another thread end a stream promptly: sets the flag the progress
// callback checks and wakes curl_multi_poll.
class StreamControl {
 public:
  void request_stop();
  bool stop_requested() const { return stop_.load(); }
  void reset() { stop_ = false; }

 private:
  friend class HttpClient;
  void attach(CURLM* multi);
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  CURLM* multi_ = nullptr;
};

struct StreamOutcome {
  long status = 0;       // HTTP status, 0 if no response came
  MaybeError error;      // transport failure; nullopt when the server ended the stream or we stopped
  bool stopped = false;  // StreamControl::request_stop ended it
};

class HttpClient {
 public:
  HttpClient(Endpoint endpoint, std::chrono::milliseconds connect_timeout);

  Result<HttpResponse> perform(const HttpRequest& request, const CallLimits& limits) const;

  // A long GET (the events stream). `on_status` runs once the response
  // headers are in; `on_data` gets body bytes as they arrive. No overall
  // timeout: it returns when the server closes, on a transport error, or
  // soon after control.request_stop().
  StreamOutcome stream(const std::string& target, StreamControl& control,
                       const std::function<void(long status)>& on_status,
                       const std::function<void(std::string_view)>& on_data) const;

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  using Handle = std::unique_ptr<CURL, void (*)(CURL*)>;
  Handle make_handle(const std::string& target) const;

  Endpoint endpoint_;
  std::chrono::milliseconds connect_timeout_;
};

// How a libcurl failure reads to the host. Exposed for unit tests.
Error transport_error(CURLcode code, std::string_view detail, std::string_view where);

}  // namespace ephemera::docker
