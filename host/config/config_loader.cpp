#include "config/config_loader.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/dns_label.h"
#include "config/policy_reader.h"
#include "config/provider_reader.h"
#include "config/toml_reader.h"

namespace ephemera::config {
namespace {

Status read_daemon(TomlReader r, DaemonSection& d) {
  r.string("site", d.site);
  r.string("instance_id", d.instance_id);
  r.path("state_dir", d.state_dir);
  r.path("plugin_dir", d.plugin_dir);
  std::optional<size_t> level, format;
  r.choice("log_level", {"trace", "debug", "info", "warn", "error"}, level);
  r.choice("log_format", {"text", "json"}, format);
  if (Status s = r.finish(); !s.is_ok()) return s;
  if (level) d.log_level = static_cast<LogLevel>(*level);
  if (format) d.log_format = static_cast<LogFormat>(*format);
  if (d.site.empty()) return r.error_at(nullptr, "[daemon] needs 'site' (a DNS label naming this site)");
  if (!is_dns_label(d.site)) {
    return r.error_at_line(r.line_of("site"), "'site' in [daemon]: '" + d.site +
                                                  "' is not a DNS label (a-z, 0-9, '-', at most 63)");
  }
  if (d.instance_id && d.instance_id->empty()) {
    return r.error_at_line(r.line_of("instance_id"), "'instance_id' in [daemon]: must not be empty");
  }
  return Status::ok();
}

// "0660" (a string of octal digits) or 0o660 (a TOML octal integer).
Status read_socket_mode(TomlReader& r, const toml::table* api, uint32_t& mode) {
  const toml::node* n = api ? api->get("socket_mode") : nullptr;
  if (!n) return Status::ok();
  int64_t value = -1;
  if (n->is_integer()) value = n->as_integer()->get();
  if (n->is_string()) {
    const std::string& text = n->as_string()->get();
    char* end = nullptr;
    long parsed = std::strtol(text.c_str(), &end, 8);
    if (!text.empty() && end && *end == '\0') value = parsed;
  }
  if (value < 0 || value > 0777) {
    return r.error_at(n, "'socket_mode' in [api]: expected an octal mode such as \"0660\"");
  }
  mode = static_cast<uint32_t>(value);
  return Status::ok();
}

Status read_api(TomlReader r, const toml::table* api, ApiSection& a) {
  r.path("socket", a.socket);
  r.take_unparsed("socket_mode");  // read below: a string or a TOML octal integer
  std::optional<uint64_t> body, connections;
  r.unsigned_int("max_body_bytes", body, 1024, uint64_t{1} << 30);
  r.unsigned_int("max_connections", connections, 1, 65536);
  std::optional<std::chrono::milliseconds> request_timeout;
  r.duration("request_timeout", request_timeout);
  std::optional<uint64_t> pending_creates, followers;
  r.unsigned_int("max_pending_creates", pending_creates, 1, 1'000'000);
  r.unsigned_int("max_followers", followers, 1, 65536);
  if (r.table("tcp")) {
    return r.error_at_line(r.line_of("tcp"),
                           "[api.tcp]: a TCP listener is not available in this version; the admin API "
                           "serves the unix socket 'socket' only");
  }
  if (Status s = r.finish(); !s.is_ok()) return s;
  if (Status s = read_socket_mode(r, api, a.socket_mode); !s.is_ok()) return s;
  a.max_body_bytes = body;
  if (connections) a.max_connections = static_cast<uint32_t>(*connections);
  a.request_timeout = request_timeout;
  if (pending_creates) a.max_pending_creates = static_cast<uint32_t>(*pending_creates);
  if (followers) a.max_followers = static_cast<uint32_t>(*followers);
  if (request_timeout && request_timeout->count() == 0) {
    return r.error_at_line(r.line_of("request_timeout"), "'request_timeout' in [api]: must be positive");
  }
  return Status::ok();
}

Status read_store(TomlReader r, StoreSection& s) {
  r.duration("event_retention", s.event_retention);
  r.duration("checkpoint_interval", s.checkpoint_interval);
  if (Status st = r.finish(); !st.is_ok()) return st;
  if (s.checkpoint_interval.count() == 0) {
    return r.error_at_line(r.line_of("checkpoint_interval"), "'checkpoint_interval' in [store]: must be positive");
  }
  return Status::ok();
}

Status read_intervals(TomlReader r, IntervalsSection& i) {
  r.duration("reconcile", i.reconcile);
  r.duration("orphan_check", i.orphan_check);
  r.duration("gc_tick", i.gc_tick);
  if (Status s = r.finish(); !s.is_ok()) return s;
  const std::pair<const char*, std::chrono::milliseconds> all[] = {
      {"reconcile", i.reconcile}, {"orphan_check", i.orphan_check}, {"gc_tick", i.gc_tick}};
  for (const auto& [key, value] : all) {
    if (value.count() == 0) {
      return r.error_at_line(r.line_of(key), "'" + std::string(key) + "' in [intervals]: must be positive");
    }
  }
  return Status::ok();
}

Status read_policy(TomlReader r, const std::string& source, SiteConfig& c) {
  const toml::table* def = r.table("default");
  const toml::table* max = r.table("max");
  if (Status s = r.finish(); !s.is_ok()) return s;
  if (Status s = read_policy_limits(TomlReader(max, "policy.max", source), c.policy_max); !s.is_ok()) return s;
  domain::PolicyOverrides layer;
  if (Status s = read_policy_overrides(TomlReader(def, "policy.default", source), layer); !s.is_ok()) return s;
  auto effective = domain::effective_policy(domain::WorkerPolicy{}, layer, {}, c.policy_max);
  if (!effective) return TomlReader(def, "policy.default", source).error_at(def, effective.status().message());
  c.policy_default = *effective;
  return Status::ok();
}

Result<SiteConfig> parse_root(const toml::table& root, const std::string& source) {
  SiteConfig c;
  c.source = source;
  TomlReader r(&root, "top level", source);
  const toml::table* daemon = r.table("daemon");
  const toml::table* api = r.table("api");
  const toml::table* store = r.table("store");
  const toml::table* intervals = r.table("intervals");
  const toml::table* policy = r.table("policy");
  const toml::table* providers = r.table("providers");
  if (Status s = r.finish(); !s.is_ok()) return s;
  if (!daemon) return r.error_at(nullptr, "missing [daemon] (it needs at least 'site')");
  if (Status s = read_daemon(TomlReader(daemon, "daemon", source), c.daemon); !s.is_ok()) return s;
  if (Status s = read_api(TomlReader(api, "api", source), api, c.api); !s.is_ok()) return s;
  if (Status s = read_store(TomlReader(store, "store", source), c.store); !s.is_ok()) return s;
  if (Status s = read_intervals(TomlReader(intervals, "intervals", source), c.intervals); !s.is_ok()) return s;
  if (Status s = read_policy(TomlReader(policy, "policy", source), source, c); !s.is_ok()) return s;
  if (Status s = read_providers(providers, source, c); !s.is_ok()) return s;
  return c;
}

}  // namespace

std::filesystem::path default_config_path() {
  const char* env = std::getenv("EPHEMERA_CONFIG");
  return env && *env ? std::filesystem::path(env) : std::filesystem::path("/etc/ephemera/ephemera.toml");
}

Result<SiteConfig> load_site_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(StatusCode::kNotFound, "config " + path.string() + ": cannot read the file (" +
                                             (std::filesystem::exists(path) ? "permission denied" : "no such file") +
                                             "); set --config or EPHEMERA_CONFIG");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_site_config(text.str(), path.string());
}

Result<SiteConfig> parse_site_config(const std::string& toml_text, const std::string& source) {
  try {
    toml::table root = toml::parse(toml_text, source);
    return parse_root(root, source);
  } catch (const toml::parse_error& e) {
    return Status(StatusCode::kInvalidArgument, "config " + source + ":" + std::to_string(e.source().begin.line) +
                                                    ": " + std::string(e.description()));
  }
}

}  // namespace ephemera::config
