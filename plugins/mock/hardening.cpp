#include "mock/hardening.h"

#include "mock/json_reader.h"
#include "mock/worker_spec.h"

namespace ephemera::mock {
namespace {

MaybeError fill_resources(json::object& spec, const ResourceDefaults& d) {
  json::value& value = spec["resources"];
  if (value.is_null()) value = json::object();
  json::object& res = value.as_object();
  ObjectReader r(res, "/resources");
  r.integer("cpu_millis", 0);
  r.integer("memory_bytes", 0);
  r.integer("pids", 0);
  if (r.error()) return r.error();
  if (!res.contains("cpu_millis")) res["cpu_millis"] = d.cpu_millis;
  if (!res.contains("memory_bytes")) res["memory_bytes"] = d.memory_bytes;
  if (!res.contains("pids")) res["pids"] = d.pids;
  return std::nullopt;
}

}  // namespace

Result<json::object> harden_spec(json::object spec, const MockConfig& config) {
  Result<WorkerSpec> parsed = parse_spec(spec);  // same checks as create
  if (!parsed.ok()) return parsed.error();
  const json::value* privileged = spec.if_contains("privileged");
  if (privileged != nullptr && privileged->is_bool() && privileged->get_bool())
    return invalid_argument("/privileged", "/privileged: privileged workers are not allowed");
  const json::value* user = spec.if_contains("user");
  if (user == nullptr || user->is_null() || user->get_string().empty() ||
      is_root_user(user->get_string()))
    spec["user"] = config.default_user;
  if (MaybeError e = fill_resources(spec, config.default_resources)) return *e;
  return spec;
}

}  // namespace ephemera::mock
