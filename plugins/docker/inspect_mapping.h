// What Docker shows, as the worker-info document of the ABI (sdk/README.md):
// created → pending, running/paused/restarting → running, exited/dead →
// exited with exit_code and reason, plus the container's times. The mapping
// is pure so unit tests pin it without a daemon.
#pragma once

#include "docker/json_reader.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ephemera::docker {

// RFC 3339 ("2026-12-04T05:01:02.123456789Z", or with a +hh:mm offset) → ms
// since the epoch; nullopt for Docker's zero time 0001-01-01T00:00:00Z.
std::optional<int64_t> parse_docker_time(std::string_view text);

// completed (0), oom, start_failed (State.Error set), stopped (143: SIGTERM
// through init), killed (137), error (anything else).
std::string exit_reason(int64_t exit_code, bool oom_killed, bool start_error);

// GET /containers/{id}/json → worker info.
json::object info_from_inspect(const json::object& inspect);

// One item of GET /containers/json → worker info. The summary has no
// finish time or OOM flag; the exit code comes from "Exited (N) ...".
json::object info_from_summary(const json::object& summary);

// The labels object of a container (Config.Labels or summary Labels).
Labels labels_of(const json::value* labels);

}  // namespace ephemera::docker
