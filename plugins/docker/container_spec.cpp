#include "docker/container_spec.h"

#include <charconv>

namespace ephemera::docker {
namespace {

std::optional<uint32_t> parse_id(std::string_view s) {
  uint32_t v = 0;
  auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || e != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

MaybeError parse_extension(const json::object& spec, WorkerSpec& s) {
  const json::value* ext = spec.if_contains("extensions");
  if (ext == nullptr || ext->is_null()) return std::nullopt;
  if (!ext->is_object()) return invalid_argument("/extensions", "/extensions: expected an object");
  ObjectReader extensions(ext->get_object(), "/extensions");
  const json::object* docker = extensions.object("docker");
  if (extensions.error() || docker == nullptr) return extensions.error();
  // Strict: a typo here would silently drop an option the operator relies on.
  ObjectReader r(*docker, "/extensions/docker");
  r.reject_unknown({"network_mode", "binds"});
  s.network_mode = r.string("network_mode").value_or("");
  s.binds = r.string_array("binds").value_or(std::vector<std::string>{});
  return r.error();
}

MaybeError parse_resources(ObjectReader& top, WorkerSpec& s) {
  const json::object* res = top.object("resources");
  if (res == nullptr) return top.error();
  ObjectReader r(*res, "/resources");
  s.resources.cpu_millis = r.integer("cpu_millis", 1).value_or(0);
  s.resources.memory_bytes = r.integer("memory_bytes", 1).value_or(0);
  s.resources.pids = r.integer("pids", 1).value_or(0);
  return r.error();
}

}  // namespace

bool is_valid_container_name(std::string_view name) {
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (name.size() < 2 || name.size() > 128 || !alnum(name.front())) return false;
  for (char c : name)
    if (!alnum(c) && c != '_' && c != '.' && c != '-') return false;
  return true;
}

std::optional<std::string> normalize_user(std::string_view user) {
  size_t colon = user.find(':');
  std::optional<uint32_t> uid = parse_id(user.substr(0, colon));
  std::optional<uint32_t> gid = colon == std::string_view::npos ? uid : parse_id(user.substr(colon + 1));
  // A bare uid would run with gid 0 when the image's passwd lacks it.
  if (!uid || !gid || *uid == 0 || *gid == 0) return std::nullopt;
  return std::to_string(*uid) + ":" + std::to_string(*gid);
}

Result<WorkerSpec> parse_spec(const json::object& spec) {
  ObjectReader r(spec, "");
  WorkerSpec s;
  std::optional<std::string> name = r.string("name");
  s.worker_id = r.string("worker_id").value_or("");
  s.labels = r.string_map("labels").value_or(Labels{});
  s.image = r.string("image").value_or("");
  s.command = r.string_array("command").value_or(std::vector<std::string>{});
  s.env = r.string_map("env").value_or(Labels{});
  s.user = r.string("user").value_or("");
  s.privileged = r.boolean("privileged").value_or(false);
  r.integer("max_lifetime_ms", 0);
  if (MaybeError e = parse_resources(r, s)) return *e;
  if (r.error()) return *r.error();
  if (!name || !is_valid_container_name(*name))
    return invalid_argument("/name", "/name: expected a container name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)");
  s.name = *name;
  if (s.image.empty()) return invalid_argument("/image", "/image: an image is required");
  auto label = s.labels.find(std::string(kWorkerIdLabel));
  if (label != s.labels.end() && !s.worker_id.empty() && label->second != s.worker_id)
    return invalid_argument("/worker_id", "/worker_id: differs from the worker-id label");
  if (s.worker_id.empty() && label != s.labels.end()) s.worker_id = label->second;
  if (MaybeError e = parse_extension(spec, s)) return *e;
  return s;
}

namespace {

MaybeError apply_network(json::object& spec, const WorkerSpec& s, const DockerConfig& c) {
  // A worker may ask for less network than the site gives ("none"), never more.
  if (!s.network_mode.empty() && s.network_mode != c.network_mode && s.network_mode != "none")
    return invalid_argument("/extensions/docker/network_mode",
                            "/extensions/docker/network_mode: '" + s.network_mode +
                                "' is not allowed (the site allows '" + c.network_mode + "' or 'none')");
  json::value& ext = spec["extensions"];
  if (!ext.is_object()) ext = json::object();
  json::value& docker = ext.as_object()["docker"];
  if (!docker.is_object()) docker = json::object();
  docker.as_object()["network_mode"] = s.network_mode.empty() ? c.network_mode : s.network_mode;
  return std::nullopt;
}

}  // namespace

Result<json::object> harden_spec(json::object spec, const DockerConfig& c) {
  Result<WorkerSpec> parsed = parse_spec(spec);  // the same checks as create
  if (!parsed.ok()) return parsed.error();
  const WorkerSpec& s = parsed.value();
  if (s.privileged && !c.allow_privileged)
    return invalid_argument("/privileged", "/privileged: privileged containers are not allowed "
                                           "(settings.allow_privileged is false)");
  if (!s.binds.empty() && !c.allow_bind_mounts)
    return invalid_argument("/extensions/docker/binds", "/extensions/docker/binds: bind mounts are "
                                                        "not allowed (settings.allow_bind_mounts is false)");
  if (s.resources.memory_bytes != 0 && s.resources.memory_bytes < kMinMemoryBytes)
    return invalid_argument("/resources/memory_bytes", "/resources/memory_bytes: dockerd needs at least 6 MiB");
  spec["user"] = normalize_user(s.user).value_or(normalize_user(c.default_user).value_or("65532:65532"));
  spec["privileged"] = s.privileged;
  json::object resources{
      {"cpu_millis", s.resources.cpu_millis ? s.resources.cpu_millis : c.default_cpu_millis},
      {"memory_bytes", s.resources.memory_bytes ? s.resources.memory_bytes : c.default_memory_bytes},
      {"pids", s.resources.pids ? s.resources.pids : c.default_pids_limit}};
  spec["resources"] = std::move(resources);
  if (!s.worker_id.empty()) {
    json::value& labels = spec["labels"];
    if (!labels.is_object()) labels = json::object();
    labels.as_object()[kWorkerIdLabel] = s.worker_id;  // the adopt-on-retry key must be on the container
  }
  if (MaybeError e = apply_network(spec, s, c)) return *e;
  return spec;
}

}  // namespace ephemera::docker
