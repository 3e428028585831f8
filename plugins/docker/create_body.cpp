// The Docker create body. Every hardening field is set explicitly rather
// than left to daemon defaults: a daemon.json can change those defaults, and
// dockerd silently ignores misspelled fields, so the integration tests read
// each one back with `docker inspect`.
#include "docker/container_spec.h"

namespace ephemera::docker {
namespace {

json::object host_config(const WorkerSpec& s, const DockerConfig& c) {
  json::object log_config{{"Type", "json-file"},
                          {"Config", json::object{{"max-size", c.log_max_size},
                                                  {"max-file", std::to_string(c.log_max_file)}}}};
  json::object hc{
      {"Privileged", s.privileged},
      {"CapDrop", json::array{"ALL"}},
      {"SecurityOpt", json::array{"no-new-privileges"}},
      {"ReadonlyRootfs", true},
      // The one writable place; noexec so a dropped binary cannot run from it.
      {"Tmpfs", json::object{{"/tmp", "rw,noexec,nosuid,nodev,size=" + c.tmpfs_size}}},
      {"PidsLimit", s.resources.pids},
      {"Memory", s.resources.memory_bytes},
      {"MemorySwap", s.resources.memory_bytes},  // equal to Memory: no swap on top
      {"NanoCpus", s.resources.cpu_millis * 1'000'000},
      {"NetworkMode", s.network_mode.empty() ? c.network_mode : s.network_mode},
      {"IpcMode", "private"},
      {"Init", c.init},
      {"RestartPolicy", json::object{{"Name", "no"}}},
      {"AutoRemove", false},  // the host removes after its TTL: exit code and logs stay readable
      {"LogConfig", std::move(log_config)}};
  if (!s.binds.empty()) {
    json::array binds;
    for (const std::string& b : s.binds) binds.emplace_back(b);
    hc["Binds"] = std::move(binds);
  }
  return hc;
}

}  // namespace

json::object build_create_body(const WorkerSpec& s, const DockerConfig& c) {
  json::object labels;
  for (const auto& [k, v] : s.labels) labels[k] = v;
  if (!s.worker_id.empty()) labels[kWorkerIdLabel] = s.worker_id;
  json::array env;
  for (const auto& [k, v] : s.env) env.emplace_back(k + "=" + v);
  json::object body{{"Image", s.image},
                    {"User", s.user},
                    {"Labels", std::move(labels)},
                    {"Env", std::move(env)},
                    {"HostConfig", host_config(s, c)}};
  if (!s.command.empty()) {
    json::array cmd;
    for (const std::string& a : s.command) cmd.emplace_back(a);
    body["Cmd"] = std::move(cmd);
  }
  if ((s.network_mode.empty() ? c.network_mode : s.network_mode) == "none") body["NetworkDisabled"] = true;
  return body;
}

}  // namespace ephemera::docker
