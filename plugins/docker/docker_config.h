// The Docker provider's config: the host's provider document plus our
// `settings` table, with DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH
// as fallbacks for the endpoint. Parsing does no I/O (validate_config must
// not); the environment is read through a lookup so tests can fake it.
#pragma once

#include "docker/result.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ephemera::docker {

// Where the daemon listens and how to talk to it.
struct Endpoint {
  std::string unix_socket;  // non-empty for unix://
  std::string base_url;     // "http://localhost" for a socket, else http(s)://host:port
  bool tls = false;
  bool tls_verify = true;   // verify the daemon's certificate (DOCKER_TLS_VERIFY)
  std::string ca_file, cert_file, key_file;  // from cert_path / DOCKER_CERT_PATH
  std::string describe() const { return unix_socket.empty() ? base_url : "unix://" + unix_socket; }
};

struct DockerConfig {
  Endpoint endpoint;
  std::string instance_id;        // top-level instance_id: scopes the event stream
  std::string network_mode = "none";
  bool allow_privileged = false;
  bool allow_bind_mounts = false;
  bool allow_host_namespaces = false;
  bool warnings_are_errors = true;  // create Warnings fail the create
  bool init = true;                 // docker-init as PID 1: SIGTERM reaches the workload
  std::string default_user = "65532:65532";
  int64_t default_memory_bytes = 512LL * 1024 * 1024;
  int64_t default_cpu_millis = 1000;
  int64_t default_pids_limit = 256;
  std::string tmpfs_size = "64m";
  std::string log_max_size = "10m";
  int64_t log_max_file = 3;
  int64_t page_size = 100;
  std::string max_api_version;    // empty: the newest this plugin speaks
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds watch_backoff_max{5000};
};

// Memory below this is refused by dockerd ("Minimum memory limit allowed is 6MB").
inline constexpr int64_t kMinMemoryBytes = 6LL * 1024 * 1024;

using EnvLookup = std::function<std::optional<std::string>(const char*)>;
// The process environment.
std::optional<std::string> process_env(const char* name);

// Parses and checks a provider config document. Errors are
// EPH_INVALID_ARGUMENT with the JSON pointer of the offending member.
Result<DockerConfig> parse_config(std::string_view config_json, const EnvLookup& env = process_env);

// "unix:///path", "tcp://host:port", "http(s)://host:port"; `pointer` names
// the setting in errors ("/settings/host", or "" for DOCKER_HOST).
Result<Endpoint> parse_host(std::string_view host, bool tls, bool tls_verify,
                            const std::string& cert_path, const std::string& pointer);

}  // namespace ephemera::docker
