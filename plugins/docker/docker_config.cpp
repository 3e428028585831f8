#include "docker/docker_config.h"

#include "docker/api_version.h"
#include "docker/json_reader.h"

#include <cstdlib>

namespace ephemera::docker {
namespace {

constexpr std::string_view kDefaultHost = "unix:///var/run/docker.sock";

std::string settings_ptr(std::string_view key) { return pointer_append("/settings", key); }

// Docker network names, plus the modes that share a namespace with the host
// or another container (refused unless allow_host_namespaces).
MaybeError check_network_mode(const DockerConfig& c) {
  const std::string& m = c.network_mode;
  const bool shares = m == "host" || m.rfind("container:", 0) == 0;
  if (m.empty())
    return invalid_argument(settings_ptr("network_mode"), "/settings/network_mode: must not be empty");
  if (shares && !c.allow_host_namespaces)
    return invalid_argument(settings_ptr("network_mode"),
                            "/settings/network_mode: '" + m +
                                "' shares another namespace; set allow_host_namespaces = true to permit it");
  return std::nullopt;
}

// Size strings as dockerd takes them for log max-size and tmpfs size: 10m, 1g, 512k, 100.
bool is_size(std::string_view s) {
  if (s.empty()) return false;
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  if (digits == 0) return false;
  std::string_view unit = s.substr(digits);
  return unit.empty() || unit == "k" || unit == "m" || unit == "g";
}

MaybeError read_settings(ObjectReader& r, DockerConfig& c, std::optional<std::string>& host,
                         std::optional<bool>& tls_verify, std::optional<std::string>& cert_path) {
  r.reject_unknown({"host", "tls_verify", "cert_path", "network_mode", "allow_privileged",
                    "allow_bind_mounts", "allow_host_namespaces", "warnings_are_errors", "init",
                    "default_user", "default_memory", "default_cpu_millis", "default_pids_limit",
                    "tmpfs_size", "log_max_size", "log_max_file", "page_size", "max_api_version",
                    "connect_timeout_ms", "watch_backoff_max_ms"});
  host = r.string("host");
  tls_verify = r.boolean("tls_verify");
  cert_path = r.string("cert_path");
  c.network_mode = r.string("network_mode").value_or(c.network_mode);
  c.allow_privileged = r.boolean("allow_privileged").value_or(false);
  c.allow_bind_mounts = r.boolean("allow_bind_mounts").value_or(false);
  c.allow_host_namespaces = r.boolean("allow_host_namespaces").value_or(false);
  c.warnings_are_errors = r.boolean("warnings_are_errors").value_or(true);
  c.init = r.boolean("init").value_or(true);
  c.default_user = r.string("default_user").value_or(c.default_user);
  c.default_memory_bytes = r.integer("default_memory", kMinMemoryBytes).value_or(c.default_memory_bytes);
  c.default_cpu_millis = r.integer("default_cpu_millis", 1).value_or(c.default_cpu_millis);
  c.default_pids_limit = r.integer("default_pids_limit", 1).value_or(c.default_pids_limit);
  c.tmpfs_size = r.string("tmpfs_size").value_or(c.tmpfs_size);
  c.log_max_size = r.string("log_max_size").value_or(c.log_max_size);
  c.log_max_file = r.integer("log_max_file", 1).value_or(c.log_max_file);
  c.page_size = r.integer("page_size", 1).value_or(c.page_size);
  c.max_api_version = r.string("max_api_version").value_or("");
  c.connect_timeout = std::chrono::milliseconds(r.integer("connect_timeout_ms", 1).value_or(5000));
  c.watch_backoff_max = std::chrono::milliseconds(r.integer("watch_backoff_max_ms", 10).value_or(5000));
  if (r.error()) return r.error();
  if (!is_size(c.tmpfs_size)) r.fail("tmpfs_size", "expected a size like 64m");
  if (!is_size(c.log_max_size)) r.fail("log_max_size", "expected a size like 10m");
  if (!c.max_api_version.empty() && !parse_api_version(c.max_api_version))
    r.fail("max_api_version", "expected a version like 1.41");
  if (r.error()) return r.error();
  return check_network_mode(c);
}

// The endpoint: settings first, then the environment the docker CLI uses.
Result<Endpoint> resolve_endpoint(const EnvLookup& env, const std::optional<std::string>& host,
                                  std::optional<bool> tls_verify,
                                  const std::optional<std::string>& cert_path) {
  // A bad DOCKER_HOST has no TOML line; the pointer names the key that overrides it.
  const std::string pointer = settings_ptr("host");
  const std::string where = host ? *host : env("DOCKER_HOST").value_or(std::string(kDefaultHost));
  const std::string env_verify = env("DOCKER_TLS_VERIFY").value_or("");
  const std::string path = cert_path ? *cert_path : env("DOCKER_CERT_PATH").value_or("");
  const bool verify = tls_verify.value_or(!env_verify.empty());
  const bool tls = verify || !path.empty();
  if (tls && path.empty())
    return invalid_argument(settings_ptr("cert_path"),
                            "/settings/cert_path: TLS needs a directory with ca.pem, cert.pem, key.pem");
  return parse_host(where, tls, verify, path, pointer);
}

}  // namespace

std::optional<std::string> process_env(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

Result<Endpoint> parse_host(std::string_view host, bool tls, bool tls_verify,
                            const std::string& cert_path, const std::string& pointer) {
  Endpoint e;
  auto bad = [&](const std::string& why) {
    return invalid_argument(pointer, "docker host '" + std::string(host) + "': " + why +
                                         " (expected unix:///path or tcp://host:port)");
  };
  if (host.rfind("unix://", 0) == 0) {
    e.unix_socket = std::string(host.substr(7));
    if (e.unix_socket.empty() || e.unix_socket.front() != '/') return bad("socket path must be absolute");
    e.base_url = "http://localhost";
    return e;
  }
  std::string_view rest;
  for (std::string_view scheme : {"tcp://", "http://", "https://"})
    if (host.rfind(scheme, 0) == 0) rest = host.substr(scheme.size());
  if (rest.empty() || rest.find(':') == std::string_view::npos) return bad("missing host:port");
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  e.tls = tls || host.rfind("https://", 0) == 0;
  e.tls_verify = tls_verify;
  e.base_url = std::string(e.tls ? "https://" : "http://") + std::string(rest);
  if (!cert_path.empty()) {
    e.ca_file = cert_path + "/ca.pem";
    e.cert_file = cert_path + "/cert.pem";
    e.key_file = cert_path + "/key.pem";
  }
  return e;
}

Result<DockerConfig> parse_config(std::string_view config_json, const EnvLookup& env) {
  Result<json::object> doc = parse_document(config_json, "provider config");
  if (!doc.ok()) return doc.error();
  ObjectReader top(doc.value(), "");
  DockerConfig c;
  c.instance_id = top.string("instance_id").value_or("");
  const json::object* settings = top.object("settings");
  if (top.error()) return *top.error();
  std::optional<std::string> host, cert_path;
  std::optional<bool> tls_verify;
  if (settings != nullptr) {
    ObjectReader r(*settings, "/settings");
    if (MaybeError e = read_settings(r, c, host, tls_verify, cert_path)) return *e;
  }
  Result<Endpoint> endpoint = resolve_endpoint(env, host, tls_verify, cert_path);
  if (!endpoint.ok()) return endpoint.error();
  c.endpoint = std::move(endpoint.value());
  return c;
}

}  // namespace ephemera::docker
