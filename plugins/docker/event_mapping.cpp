#include "docker/event_mapping.h"

#include "docker/container_spec.h"
#include "docker/inspect_mapping.h"

#include <boost/json/parse.hpp>

#include <charconv>
#include <cstdio>

namespace ephemera::docker {
namespace {

// Attributes that are Docker's, not the container's labels.
bool is_docker_attribute(std::string_view key) {
  return key == "name" || key == "image" || key == "exitCode" || key == "signal" ||
         key == "execDuration" || key == "execID";
}

}  // namespace

std::optional<DockerEvent> parse_event(std::string_view line) {
  boost::system::error_code ec;
  json::value v = json::parse(line, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.get_object();
  const json::value* type = o.if_contains("Type");
  const json::value* action = o.if_contains("Action");
  const json::value* actor = o.if_contains("Actor");
  const json::value* nanos = o.if_contains("timeNano");
  if (!type || !type->is_string() || type->get_string() != "container" || !action ||
      !action->is_string() || !actor || !actor->is_object() || !nanos || !nanos->is_number())
    return std::nullopt;
  DockerEvent e;
  e.time_nano = nanos->is_int64() ? nanos->get_int64() : static_cast<int64_t>(nanos->to_number<double>());
  e.action = std::string(action->get_string());
  const json::value* id = actor->get_object().if_contains("ID");
  if (!id || !id->is_string()) return std::nullopt;
  e.id = std::string(id->get_string());
  e.attributes = labels_of(actor->get_object().if_contains("Attributes"));
  return e;
}

std::string since_param(int64_t time_nano) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(time_nano / 1'000'000'000),
                static_cast<long long>(time_nano % 1'000'000'000));
  return buf;
}

bool EventDeduper::accept(const DockerEvent& e) {
  if (e.time_nano < high_water_) return false;
  auto key = std::make_tuple(e.time_nano, e.id, e.action);
  if (e.time_nano > high_water_) {
    high_water_ = e.time_nano;
    at_high_water_.clear();
  }
  return at_high_water_.insert(std::move(key)).second;
}

std::optional<json::object> EventMapper::map(const DockerEvent& e) {
  std::string state;
  if (e.action == "oom") {
    oom_killed_.insert(e.id);
    return std::nullopt;  // the die that follows carries the exit code
  }
  if (e.action == "create") state = "pending";
  else if (e.action == "start" || e.action == "unpause" || e.action == "restart") state = "running";
  else if (e.action == "die") state = "exited";
  else if (e.action == "destroy") state = "gone";
  else return std::nullopt;

  Labels labels;
  std::string name, exit_code;
  for (const auto& [k, v] : e.attributes) {
    if (k == "name") name = v;
    if (k == "exitCode") exit_code = v;
    if (!is_docker_attribute(k)) labels.emplace(k, v);
  }
  json::object labels_json;
  for (const auto& [k, v] : labels) labels_json[k] = v;
  auto wid = labels.find(std::string(kWorkerIdLabel));
  json::object info{{"schema", EPH_SCHEMA_VERSION},
                    {"resource_id", e.id},
                    {"name", name},
                    {"worker_id", wid == labels.end() ? std::string() : wid->second},
                    {"labels", std::move(labels_json)},
                    {"state", state},
                    {"event_time_ms", e.time_nano / 1'000'000}};
  if (e.action == "die") {
    int64_t code = 0;
    std::from_chars(exit_code.data(), exit_code.data() + exit_code.size(), code);
    const bool oom = oom_killed_.erase(e.id) > 0;
    info["exit_code"] = code;
    info["reason"] = exit_reason(code, oom, false);
    info["oom_killed"] = oom;
    info["finished_at_ms"] = e.time_nano / 1'000'000;
  }
  if (e.action == "destroy") oom_killed_.erase(e.id);
  return info;
}

}  // namespace ephemera::docker
