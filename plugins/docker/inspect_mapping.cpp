#include "docker/inspect_mapping.h"

#include "docker/container_spec.h"

#include <charconv>
#include <ctime>

namespace ephemera::docker {
namespace {

std::string str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return (v != nullptr && v->is_string()) ? std::string(v->get_string()) : std::string();
}

int64_t int_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) return 0;
  return v->is_int64() ? v->get_int64() : static_cast<int64_t>(v->to_number<double>());
}

bool bool_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

int parse_int(std::string_view s, size_t pos, size_t len) {
  int v = 0;
  std::from_chars(s.data() + pos, s.data() + pos + len, v);
  return v;
}

json::object base_info(std::string id, std::string name, const Labels& labels) {
  json::object labels_json;
  for (const auto& [k, v] : labels) labels_json[k] = v;
  auto wid = labels.find(std::string(kWorkerIdLabel));
  if (!name.empty() && name.front() == '/') name.erase(0, 1);  // Docker names carry a leading '/'
  return json::object{{"schema", EPH_SCHEMA_VERSION},
                      {"resource_id", std::move(id)},
                      {"name", std::move(name)},
                      {"worker_id", wid == labels.end() ? std::string() : wid->second},
                      {"labels", std::move(labels_json)}};
}

void put_time(json::object& info, std::string_view key, const std::string& text) {
  if (std::optional<int64_t> ms = parse_docker_time(text)) info[key] = *ms;
}

}  // namespace

std::optional<int64_t> parse_docker_time(std::string_view t) {
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':')
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = parse_int(t, 0, 4) - 1900;
  tm.tm_mon = parse_int(t, 5, 2) - 1;
  tm.tm_mday = parse_int(t, 8, 2);
  tm.tm_hour = parse_int(t, 11, 2);
  tm.tm_min = parse_int(t, 14, 2);
  tm.tm_sec = parse_int(t, 17, 2);
  if (tm.tm_year + 1900 <= 1) return std::nullopt;  // 0001-01-01: "never"
  int64_t ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    int64_t frac = 0, scale = 100;
    for (++pos; pos < t.size() && t[pos] >= '0' && t[pos] <= '9'; ++pos, scale /= 10)
      frac += (t[pos] - '0') * scale;
    ms += frac;
  }
  if (pos < t.size() && (t[pos] == '+' || t[pos] == '-') && pos + 6 <= t.size()) {
    int64_t offset_min = parse_int(t, pos + 1, 2) * 60 + parse_int(t, pos + 4, 2);
    ms -= (t[pos] == '+' ? 1 : -1) * offset_min * 60'000;
  }
  return ms;
}

std::string exit_reason(int64_t code, bool oom, bool start_error) {
  if (oom) return "oom";
  if (start_error) return "start_failed";
  if (code == 0) return "completed";
  if (code == 143) return "stopped";
  if (code == 137) return "killed";
  return "error";
}

Labels labels_of(const json::value* labels) {
  Labels out;
  if (labels == nullptr || !labels->is_object()) return out;
  for (const auto& [k, v] : labels->get_object())
    if (v.is_string()) out.emplace(std::string(k), std::string(v.get_string()));
  return out;
}

json::object info_from_inspect(const json::object& c) {
  const json::value* config = c.if_contains("Config");
  const json::value* labels = (config && config->is_object()) ? config->get_object().if_contains("Labels") : nullptr;
  json::object info = base_info(str(c, "Id"), str(c, "Name"), labels_of(labels));
  put_time(info, "created_at_ms", str(c, "Created"));
  const json::value* state_v = c.if_contains("State");
  if (state_v == nullptr || !state_v->is_object()) {
    info["state"] = "unknown";
    return info;
  }
  const json::object& st = state_v->get_object();
  const std::string status = str(st, "Status");
  const std::string error = str(st, "Error");
  const bool oom = bool_of(st, "OOMKilled");
  info["backend_status"] = status;
  if (!error.empty()) info["error"] = error;
  put_time(info, "started_at_ms", str(st, "StartedAt"));
  if (status == "created" && error.empty()) {
    info["state"] = "pending";
  } else if (status == "running" || status == "paused" || status == "restarting") {
    info["state"] = "running";
  } else if (status == "exited" || status == "dead" || status == "created") {
    info["state"] = "exited";
    info["exit_code"] = int_of(st, "ExitCode");
    info["reason"] = exit_reason(int_of(st, "ExitCode"), oom, !error.empty());
    info["oom_killed"] = oom;
    put_time(info, "finished_at_ms", str(st, "FinishedAt"));
  } else {
    info["state"] = "unknown";  // "removing": on its way to gone, which the watch reports
  }
  return info;
}

json::object info_from_summary(const json::object& c) {
  std::string name;
  if (const json::value* names = c.if_contains("Names"); names && names->is_array() &&
      !names->get_array().empty() && names->get_array()[0].is_string())
    name = std::string(names->get_array()[0].get_string());
  json::object info = base_info(str(c, "Id"), name, labels_of(c.if_contains("Labels")));
  info["created_at_ms"] = int_of(c, "Created") * 1000;
  const std::string state = str(c, "State");
  info["backend_status"] = state;
  if (state == "created") {
    info["state"] = "pending";
  } else if (state == "running" || state == "paused" || state == "restarting") {
    info["state"] = "running";
  } else if (state == "exited" || state == "dead") {
    // "Exited (137) 5 seconds ago"
    const std::string status = str(c, "Status");
    int64_t code = 0;
    if (size_t open = status.find('('); open != std::string::npos)
      std::from_chars(status.data() + open + 1, status.data() + status.size(), code);
    info["state"] = "exited";
    info["exit_code"] = code;
    info["reason"] = exit_reason(code, false, false);
  } else {
    info["state"] = "unknown";
  }
  return info;
}

}  // namespace ephemera::docker
