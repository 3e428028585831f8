#include "mock/simulation.h"

#include <algorithm>

namespace ephemera::mock {
namespace json = boost::json;

namespace {

// How and when a workload ends, if anything ends it.
struct End {
  int64_t at_ms;
  int64_t exit_code;
  std::string reason;
  bool started;
};

int64_t start_of(const Resource& r) { return r.created_at_ms + r.start_delay_ms; }

std::optional<End> natural_end(const Resource& r) {
  if (r.fail_start) return End{start_of(r), kExitStartFailed, "start_failed", false};
  if (!r.run_ms) return std::nullopt;
  std::string reason = !r.exit_reason.empty() ? r.exit_reason : r.exit_code == 0 ? "completed" : "error";
  return End{start_of(r) + *r.run_ms, r.exit_code, reason, true};
}

std::optional<End> stop_end(const Resource& r) {
  if (!r.stop_requested_at_ms) return std::nullopt;
  int64_t requested = *r.stop_requested_at_ms;
  // A workload that never started has no process to ignore SIGTERM.
  if (requested < start_of(r)) return End{requested, kExitSigterm, "stopped", false};
  if (r.ignore_sigterm)
    return End{std::max(requested, r.stop_deadline_ms.value_or(requested)), kExitSigkill, "killed", true};
  return End{requested, kExitSigterm, "stopped", true};
}

std::optional<End> end_of(const Resource& r) {
  std::optional<End> natural = natural_end(r);
  std::optional<End> stop = stop_end(r);
  if (natural && stop) return stop->at_ms < natural->at_ms ? stop : natural;
  return natural ? natural : stop;
}

json::object identity(const Resource& r) {
  json::object o;
  o["schema"] = EPH_SCHEMA_VERSION;
  o["resource_id"] = r.resource_id;
  o["name"] = r.name;
  o["worker_id"] = r.effective_worker_id();
  o["labels"] = labels_to_json(r.labels);
  o["image"] = r.image;
  o["created_at_ms"] = r.created_at_ms;
  return o;
}

}  // namespace

std::string_view phase_name(Phase phase) {
  switch (phase) {
    case Phase::pending: return "pending";
    case Phase::running: return "running";
    case Phase::exited: return "exited";
  }
  return "unknown";
}

Observation observe(const Resource& r, int64_t now_ms) {
  Observation o;
  std::optional<End> end = end_of(r);
  if (end && now_ms >= end->at_ms) {
    o.phase = Phase::exited;
    if (end->started) o.started_at_ms = start_of(r);
    o.finished_at_ms = end->at_ms;
    o.exit_code = end->exit_code;
    o.reason = end->reason;
  } else if (now_ms >= start_of(r)) {
    o.phase = Phase::running;
    o.started_at_ms = start_of(r);
  }
  return o;
}

bool request_stop(Resource& r, int64_t now_ms, int64_t grace_ms) {
  if (observe(r, now_ms).phase == Phase::exited) return false;
  int64_t deadline = now_ms + std::max<int64_t>(grace_ms, 0);
  if (r.stop_requested_at_ms) {
    // SIGTERM was already sent; a shorter grace can only bring SIGKILL closer.
    if (deadline >= r.stop_deadline_ms.value_or(deadline)) return false;
    r.stop_deadline_ms = deadline;
    return true;
  }
  r.stop_requested_at_ms = now_ms;
  r.stop_deadline_ms = deadline;
  return true;
}

json::object worker_info(const Resource& r, const Observation& o) {
  json::object info = identity(r);
  info["state"] = phase_name(o.phase);
  if (o.phase == Phase::exited) {
    info["exit_code"] = o.exit_code;
    info["reason"] = o.reason;
  }
  if (o.started_at_ms) info["started_at_ms"] = *o.started_at_ms;
  if (o.finished_at_ms) info["finished_at_ms"] = *o.finished_at_ms;
  return info;
}

json::object gone_info(json::object last_info) {
  for (std::string_view key : {"exit_code", "reason", "started_at_ms", "finished_at_ms"})
    last_info.erase(key);
  last_info["state"] = "gone";
  return last_info;
}

}  // namespace ephemera::mock
