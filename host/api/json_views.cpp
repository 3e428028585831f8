#include "api/json_views.h"

#include <time.h>

#include <boost/json/serialize.hpp>
#include <cstdio>

#include "api/json_detail.h"
#include "common/duration.h"

namespace ephemera::api {
namespace json = boost::json;

std::string format_rfc3339(WallTime t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
  // floor division: instants before 1970 still print a valid time of day.
  time_t secs = static_cast<time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const long millis = static_cast<long>(ms - static_cast<int64_t>(secs) * 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char out[80];  // room for any int fields: no truncation warning
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return out;
}

namespace detail {
namespace {

json::value opt_time(const std::optional<WallTime>& t) {
  return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
}

json::value opt_int(const std::optional<int32_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object labels_object(const std::map<std::string, std::string>& labels) {
  json::object o;
  for (const auto& [k, v] : labels) o[k] = v;
  return o;
}

json::object policy_object(const domain::WorkerPolicy& p) {
  json::object o;
  o["max_lifetime"] = format_duration(p.max_lifetime);
  o["idle_timeout"] = format_duration(p.idle_timeout);
  o["startup_timeout"] = format_duration(p.startup_timeout);
  o["ttl_after_completion"] =
      p.ttl_after_completion ? json::value(format_duration(*p.ttl_after_completion)) : json::value(nullptr);
  o["failed_retention"] = format_duration(p.failed_retention);
  o["auto_cleanup_enabled"] = p.auto_cleanup_enabled;
  o["orphan_detection_enabled"] = p.orphan_detection_enabled;
  o["orphan_grace"] = format_duration(p.orphan_grace);
  o["readiness"] = p.readiness == domain::Readiness::kApi ? "api" : "backend";
  return o;
}

}  // namespace

json::object worker_object(const domain::WorkerRecord& w) {
  json::object o;
  o["id"] = w.worker_id;
  o["provider"] = w.intent.provider;
  o["state"] = domain::state_name(w.state);
  o["backend"] = json::object{{"phase", domain::backend_phase_name(w.backend.phase)},
                              {"exit_code", opt_int(w.backend.exit_code)},
                              {"reason", w.backend.reason}};
  o["cleanup"] = domain::cleanup_name(w.cleanup);
  o["resource_name"] = w.intent.resource_name;
  o["resource_id"] = w.resource_id;
  o["labels"] = labels_object(w.intent.labels);
  o["created_at"] = format_rfc3339(w.created_at);
  o["state_entered_at"] = format_rfc3339(w.state_entered_at);
  o["cleanup_due_at"] = opt_time(w.cleanup_due_at);
  o["terminating_reason"] = w.terminating_reason;
  o["final_reason"] = w.final_reason;
  o["policy"] = policy_object(w.intent.policy);
  o["spec_hash"] = w.intent.spec_hash;
  o["last_seq"] = w.last_seq;
  return o;
}

json::object event_object(const domain::Event& e) {
  json::object o;
  o["seq"] = e.seq;
  o["worker_id"] = e.worker_id;
  o["type"] = domain::event_type_name(e.type);
  o["at"] = format_rfc3339(e.at);
  o["reason"] = e.reason;
  o["exit_code"] = opt_int(e.exit_code);
  o["resource_id"] = e.resource_id;
  return o;
}

}  // namespace detail

std::string worker_to_json(const domain::WorkerRecord& worker) {
  return json::serialize(detail::worker_object(worker));
}

std::string event_to_json(const domain::Event& event) { return json::serialize(detail::event_object(event)); }

}  // namespace ephemera::api
