// The worker spec (sdk/README.md) as the Docker provider reads it, and
// hardening: the defaults and refusals applied before anything is submitted.
// harden_spec is a pure function of (spec, config), so harden(harden(s)) ==
// harden(s) and create submits exactly what harden showed.
#pragma once

#include "docker/docker_config.h"
#include "docker/json_reader.h"
#include "docker/result.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ephemera::docker {

inline constexpr std::string_view kWorkerIdLabel = "ephemera.dev/worker-id";

struct Resources {
  int64_t cpu_millis = 0;
  int64_t memory_bytes = 0;
  int64_t pids = 0;
};

struct WorkerSpec {
  std::string name;       // the container name: a retry finds the same container
  std::string worker_id;  // spec worker_id, else the worker-id label
  Labels labels;
  std::string image;
  std::vector<std::string> command;
  Labels env;             // values are secrets: never logged
  std::string user;
  Resources resources;
  bool privileged = false;
  std::string network_mode;         // extensions.docker.network_mode
  std::vector<std::string> binds;   // extensions.docker.binds ("src:dst[:ro]")
};

// Checks the members the provider reads (others are ignored, so the schema
// can grow; `extensions.docker` is strict). Errors carry a JSON pointer.
Result<WorkerSpec> parse_spec(const json::object& spec);

// Fills defaults (user, resources, network) and refuses what the config
// forbids (privileged, binds, host namespaces) with EPH_INVALID_ARGUMENT.
Result<json::object> harden_spec(json::object spec, const DockerConfig& config);

// Docker's name rule [a-zA-Z0-9][a-zA-Z0-9_.-]+, at most 128 characters.
bool is_valid_container_name(std::string_view name);

// "1000" → "1000:1000", "1000:2000" kept; nullopt for root (uid or gid 0),
// names (an image's passwd could map them to root) and anything malformed.
std::optional<std::string> normalize_user(std::string_view user);

// The POST /containers/create body for a hardened spec.
json::object build_create_body(const WorkerSpec& spec, const DockerConfig& config);

}  // namespace ephemera::docker
