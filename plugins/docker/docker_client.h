// The Engine API below the provider: version negotiation, versioned paths,
// and how HTTP answers map to the ABI's status codes.
//
// Thread-safety: every member may be called concurrently.
#pragma once

#include "docker/api_version.h"
#include "docker/docker_config.h"
#include "docker/http_client.h"
#include "docker/result.h"

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace ephemera::docker {

class DockerClient {
 public:
  explicit DockerClient(const DockerConfig& config);

  // The API version to speak, from `GET /_ping` on first use. Forgotten when
  // the daemon becomes unreachable: it may come back upgraded.
  Result<ApiVersion> version(const CallLimits& limits);

  // `target` without the version: "/containers/json?all=1". Any HTTP status
  // is a response; only transport failures are errors.
  Result<HttpResponse> call(const std::string& method, const std::string& target,
                            const CallLimits& limits, std::optional<std::string> json_body = {});

  // Drops the negotiated version: the next call asks /_ping again.
  void forget_version();

  // Unversioned `GET /_ping`.
  Result<HttpResponse> ping(const CallLimits& limits);

  const HttpClient& http() const { return http_; }

 private:
  HttpClient http_;
  ApiVersion max_;
  std::mutex mu_;
  std::optional<ApiVersion> negotiated_;
};

// The daemon's error text ({"message": "..."}), or the raw body.
std::string docker_message(std::string_view body);

// An HTTP error answer as the ABI reads it: 400 INVALID_ARGUMENT, 401/403
// PERMISSION_DENIED, 404 NOT_FOUND, 409 ABORTED, 429 RESOURCE_EXHAUSTED (with
// Retry-After), 5xx UNAVAILABLE, anything else INTERNAL.
Error http_error(const HttpResponse& response, std::string_view what);

// Percent-encodes a query parameter value.
std::string url_encode(std::string_view value);

}  // namespace ephemera::docker
