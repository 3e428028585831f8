#include "mock/mock_config.h"

#include "mock/json_reader.h"

#include <utility>

namespace ephemera::mock {
namespace {

constexpr std::string_view kSettings = "/settings";

Result<ResourceDefaults> parse_resource_defaults(const json::object& table, std::string pointer) {
  ResourceDefaults d;
  ObjectReader r(table, std::move(pointer));
  r.reject_unknown({"cpu_millis", "memory_bytes", "pids"});
  d.cpu_millis = r.integer("cpu_millis", 1).value_or(d.cpu_millis);
  d.memory_bytes = r.integer("memory_bytes", 1).value_or(d.memory_bytes);
  d.pids = r.integer("pids", 1).value_or(d.pids);
  if (r.error()) return *r.error();
  return d;
}

MaybeError parse_scalars(ObjectReader& r, MockConfig& c) {
  r.reject_unknown({"state_dir", "start_delay_ms", "watch_interval_ms", "thread_safe",
                    "max_concurrency", "page_size", "default_user", "default_resources", "faults"});
  if (auto dir = r.string("state_dir")) c.state_dir = *dir;
  c.start_delay = std::chrono::milliseconds(r.integer("start_delay_ms", 0).value_or(0));
  c.watch_interval = std::chrono::milliseconds(r.integer("watch_interval_ms", 1).value_or(100));
  c.thread_safe = r.boolean("thread_safe").value_or(true);
  c.max_concurrency = r.integer("max_concurrency", 1).value_or(c.max_concurrency);
  c.page_size = r.integer("page_size", 1).value_or(c.page_size);
  c.default_user = r.string("default_user").value_or(c.default_user);
  if (!r.error() && (c.default_user.empty() || is_root_user(c.default_user)))
    r.fail("default_user", "must name a non-root user");
  return r.error();
}

MaybeError parse_settings(const json::object& settings, MockConfig& c) {
  ObjectReader r(settings, std::string(kSettings));
  if (MaybeError e = parse_scalars(r, c)) return e;
  if (const json::object* table = r.object("default_resources")) {
    Result<ResourceDefaults> d = parse_resource_defaults(*table, r.pointer_to("default_resources"));
    if (!d.ok()) return d.error();
    c.default_resources = d.value();
  }
  if (const json::value* faults = settings.if_contains("faults")) {
    Result<FaultTable> table = parse_faults(*faults, r.pointer_to("faults"));
    if (!table.ok()) return table.error();
    c.faults = table.value();
  }
  return r.error();
}

}  // namespace

bool is_root_user(std::string_view user) {
  std::string_view uid = user.substr(0, user.find(':'));
  return uid == "0" || uid == "root";
}

Result<MockConfig> parse_config(std::string_view config_json) {
  Result<json::object> doc = parse_document(config_json, "provider config");
  if (!doc.ok()) return doc.error();
  ObjectReader top(doc.value(), "");
  MockConfig c;
  std::optional<std::string> top_dir = top.string("state_dir");
  const json::object* settings = top.object("settings");
  if (top.error()) return *top.error();
  if (settings != nullptr) {
    if (MaybeError e = parse_settings(*settings, c)) return *e;
  }
  if (c.state_dir.empty() && top_dir) c.state_dir = *top_dir;
  if (c.state_dir.empty())
    return invalid_argument("/settings/state_dir",
                            "/settings/state_dir: the mock needs a state directory (set "
                            "settings.state_dir or the provider's state_dir)");
  return c;
}

}  // namespace ephemera::mock
