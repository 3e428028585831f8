#include "mock/worker_spec.h"

#include "mock/json_reader.h"

namespace ephemera::mock {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

Result<MockBehaviour> parse_behaviour(const json::object& spec) {
  MockBehaviour b;
  const json::value* ext = spec.if_contains("extensions");
  if (ext == nullptr || ext->is_null()) return b;
  if (!ext->is_object()) return invalid_argument("/extensions", "/extensions: expected an object");
  ObjectReader extensions(ext->get_object(), "/extensions");
  const json::object* mock = extensions.object("mock");
  if (extensions.error()) return *extensions.error();
  if (mock == nullptr) return b;
  ObjectReader r(*mock, "/extensions/mock");
  r.reject_unknown({"run_ms", "exit_code", "exit_reason", "ignore_sigterm", "fail_start",
                    "start_delay_ms"});
  b.run_ms = r.integer("run_ms", 0);
  b.exit_code = r.integer("exit_code", 0).value_or(0);
  b.exit_reason = r.string("exit_reason").value_or("");
  b.ignore_sigterm = r.boolean("ignore_sigterm").value_or(false);
  b.fail_start = r.boolean("fail_start").value_or(false);
  b.start_delay_ms = r.integer("start_delay_ms", 0);
  if (b.exit_code > 255) r.fail("exit_code", "expected an exit code in [0, 255]");
  if (r.error()) return *r.error();
  return b;
}

}  // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > 63 || !is_alnum(name.front()) || !is_alnum(name.back()))
    return false;
  for (char c : name)
    if (!is_alnum(c) && c != '-' && c != '.') return false;
  return true;
}

Result<WorkerSpec> parse_spec(const json::object& spec) {
  ObjectReader r(spec, "");
  WorkerSpec s;
  std::optional<std::string> name = r.string("name");
  s.worker_id = r.string("worker_id").value_or("");
  s.labels = r.string_map("labels").value_or(Labels{});
  s.image = r.string("image").value_or("");
  r.boolean("privileged");
  r.string("user");
  r.object("resources");
  if (r.error()) return *r.error();
  if (!name || !is_valid_name(*name))
    return invalid_argument("/name", "/name: expected a DNS-1123 name (1-63 of [a-z0-9.-])");
  s.name = *name;
  auto label = s.labels.find(std::string(kWorkerIdLabel));
  if (label != s.labels.end() && !s.worker_id.empty() && label->second != s.worker_id)
    return invalid_argument("/worker_id", "/worker_id: differs from the worker-id label");
  if (s.worker_id.empty() && label != s.labels.end()) s.worker_id = label->second;
  Result<MockBehaviour> b = parse_behaviour(spec);
  if (!b.ok()) return b.error();
  s.mock = b.value();
  return s;
}

}  // namespace ephemera::mock
