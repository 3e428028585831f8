// Lifecycle checks: capabilities and health, then one worker through
// create → get → list → stop → destroy → get (NOT_FOUND) → destroy again,
// idempotent create, pagination and hardening.
#include <set>

#include "check_helpers.h"

namespace ephemera::kit {

using namespace plugin_host;
namespace json = boost::json;

namespace {

struct Shared {
  json::object spec;  // the worker the sequence drives
  std::string resource_id;
};

json::object selector(json::object labels, int64_t limit = 100, std::string cont = {}) {
  return json::object{{"schema", 1}, {"labels", std::move(labels)}, {"limit", limit}, {"continue", cont}};
}

// Lists every page; nullopt (with *why) on error or a runaway token chain.
std::optional<std::vector<json::object>> list_all(KitContext& ctx, const json::object& labels,
                                                  int64_t limit, std::string* why) {
  std::vector<json::object> items;
  std::string token;
  for (int page = 0; page < 1000; ++page) {
    CallOutcome out = ctx.call(ProviderOp::kList, {json::serialize(selector(labels, limit, token))});
    if (!out.status.is_ok()) {
      *why = "list: " + describe(out);
      return std::nullopt;
    }
    json::object doc = parse_object(out.payload);
    const auto* arr = doc.if_contains("items");
    if (arr == nullptr || !arr->is_array()) {
      *why = "list page has no items array";
      return std::nullopt;
    }
    for (const auto& item : arr->as_array()) {
      if (item.is_object()) items.push_back(item.as_object());
    }
    if (limit > 0 && arr->as_array().size() > static_cast<size_t>(limit)) {
      *why = "page holds more than limit items";
      return std::nullopt;
    }
    token = member(doc, "continue");
    if (token.empty()) return items;
  }
  *why = "continue tokens never ended";
  return std::nullopt;
}

bool contains_worker(const std::vector<json::object>& items, const std::string& worker_id) {
  for (const auto& i : items) {
    if (member(i, "worker_id") == worker_id) return true;
  }
  return false;
}

CheckOutcome capabilities(KitContext& ctx) {
  const auto& caps = ctx.instance->capabilities();
  return CheckOutcome::pass(caps.json);
}

CheckOutcome health(KitContext& ctx) {
  CallOutcome out = ctx.call(ProviderOp::kHealth);
  if (!out.status.is_ok() && out.status.code() != StatusCode::kUnavailable) {
    return CheckOutcome::fail("expected OK or UNAVAILABLE, got " + describe(out));
  }
  json::object doc = parse_object(out.payload);
  const auto* healthy = doc.if_contains("healthy");
  if (healthy == nullptr || !healthy->is_bool()) return CheckOutcome::fail("health payload lacks \"healthy\"");
  return CheckOutcome::pass(out.payload);
}

CheckOutcome create(KitContext& ctx, Shared& s) {
  s.spec = ctx.make_spec("a");
  CallOutcome out = ctx.create(s.spec);
  if (!out.status.is_ok()) return CheckOutcome::fail(describe(out));
  json::object info = parse_object(out.payload);
  if (member(info, "worker_id") != member(s.spec, "worker_id") || member(info, "name") != member(s.spec, "name")) {
    return CheckOutcome::fail("worker info does not echo name and worker_id: " + out.payload);
  }
  s.resource_id = member(info, "resource_id");
  return CheckOutcome::pass("resource " + s.resource_id);
}

CheckOutcome get(KitContext& ctx, Shared& s) {
  auto info = ctx.wait_until_started(s.spec);
  if (!info) return CheckOutcome::fail("get failed or the worker never left pending");
  if (member(*info, "worker_id") != member(s.spec, "worker_id")) return CheckOutcome::fail("get returned another worker");
  return CheckOutcome::pass("state " + member(*info, "state"));
}

CheckOutcome list_by_labels(KitContext& ctx, Shared& s) {
  std::string why;
  json::object labels = ctx.run_labels();
  auto items = list_all(ctx, labels, 0, &why);
  if (!items) return CheckOutcome::fail(why);
  if (!contains_worker(*items, member(s.spec, "worker_id"))) return CheckOutcome::fail("our worker is not listed");
  labels["ephemera.dev/kit-foreign"] = "yes";
  auto foreign = list_all(ctx, labels, 0, &why);
  if (!foreign) return CheckOutcome::fail(why);
  if (!foreign->empty()) return CheckOutcome::fail("a selector with a label nobody has matched something");
  json::object other{{"ephemera.dev/instance", "kit-someone-else"}};
  auto others = list_all(ctx, other, 0, &why);
  if (!others || contains_worker(*others, member(s.spec, "worker_id"))) {
    return CheckOutcome::fail("another instance's selector returned our worker");
  }
  return CheckOutcome::pass();
}

CheckOutcome idempotent_create(KitContext& ctx, Shared& s) {
  CallOutcome again = ctx.create(s.spec);
  if (!again.status.is_ok()) return CheckOutcome::fail("retrying the same create: " + describe(again));
  std::string rid = member(parse_object(again.payload), "resource_id");
  if (rid != s.resource_id) return CheckOutcome::fail("retry created a second resource " + rid);
  json::object impostor = ctx.make_spec("impostor");
  impostor["name"] = s.spec["name"];
  std::string why;
  CallOutcome clash = ctx.create(impostor);
  if (!expect_code(clash, StatusCode::kAlreadyExists, &why)) return CheckOutcome::fail("name clash: " + why);
  return CheckOutcome::pass();
}

CheckOutcome stop(KitContext& ctx, Shared& s) {
  CallOutcome out = ctx.call(ProviderOp::kStop, {KitContext::reference(s.spec), std::chrono::seconds(2)});
  if (!out.status.is_ok()) return CheckOutcome::fail(describe(out));
  CallOutcome got = ctx.call(ProviderOp::kGet, {KitContext::reference(s.spec)});
  if (ctx.instance->capabilities().stop_keeps_resource) {
    if (!got.status.is_ok()) return CheckOutcome::fail("stop_keeps_resource, but get says " + describe(got));
    std::string state = member(parse_object(got.payload), "state");
    if (state != "exited") return CheckOutcome::fail("after stop the state is '" + state + "', not exited");
    return CheckOutcome::pass("exited, kept");
  }
  return CheckOutcome::pass("stop removed it (" + describe(got) + ")");
}

CheckOutcome destroy(KitContext& ctx, Shared& s) {
  CallOutcome out = ctx.call(ProviderOp::kDestroy, {KitContext::reference(s.spec), std::chrono::seconds(2)});
  if (!out.status.is_ok() && out.status.code() != StatusCode::kNotFound) return CheckOutcome::fail(describe(out));
  std::string why;
  CallOutcome got = ctx.call(ProviderOp::kGet, {KitContext::reference(s.spec)});
  if (!expect_code(got, StatusCode::kNotFound, &why)) return CheckOutcome::fail("get after destroy: " + why);
  return CheckOutcome::pass();
}

CheckOutcome destroy_again(KitContext& ctx, Shared& s) {
  CallOutcome out = ctx.call(ProviderOp::kDestroy, {KitContext::reference(s.spec), std::chrono::seconds(2)});
  if (!out.status.is_ok() && out.status.code() != StatusCode::kNotFound) return CheckOutcome::fail(describe(out));
  return CheckOutcome::pass(describe(out));
}

CheckOutcome unknown_is_not_found(KitContext& ctx) {
  json::object ghost = ctx.make_spec("never-created");
  std::string why;
  if (!expect_code(ctx.call(ProviderOp::kGet, {KitContext::reference(ghost)}), StatusCode::kNotFound, &why)) {
    return CheckOutcome::fail(why);
  }
  return CheckOutcome::pass();
}

CheckOutcome pagination(KitContext& ctx) {
  std::vector<json::object> specs;
  for (int i = 0; i < 3; ++i) {
    specs.push_back(ctx.make_spec("p" + std::to_string(i)));
    CallOutcome out = ctx.create(specs.back());
    if (!out.status.is_ok()) return CheckOutcome::fail("create: " + describe(out));
  }
  std::string why;
  auto items = list_all(ctx, ctx.run_labels(), 1, &why);
  if (!items) return CheckOutcome::fail(why);
  std::set<std::string> seen;
  for (const auto& i : *items) {
    if (!seen.insert(member(i, "worker_id")).second) return CheckOutcome::fail("a worker was listed twice");
  }
  for (const auto& spec : specs) {
    if (!seen.count(member(spec, "worker_id"))) return CheckOutcome::fail("a worker was missing from the pages");
    ctx.call(ProviderOp::kDestroy, {KitContext::reference(spec), std::chrono::seconds(2)});
  }
  return CheckOutcome::pass(std::to_string(items->size()) + " workers over pages of 1");
}

CheckOutcome harden_idempotent(KitContext& ctx) {
  json::object spec = ctx.make_spec("h");
  CallOutcome once = ctx.call(ProviderOp::kHarden, {json::serialize(spec)});
  if (!once.status.is_ok()) return CheckOutcome::fail("harden: " + describe(once));
  CallOutcome twice = ctx.call(ProviderOp::kHarden, {once.payload});
  if (!twice.status.is_ok()) return CheckOutcome::fail("harden of a hardened spec: " + describe(twice));
  if (json::parse(once.payload) != json::parse(twice.payload)) {
    return CheckOutcome::fail("harden(harden(s)) != harden(s)");
  }
  return CheckOutcome::pass();
}

CheckOutcome harden_refuses_privileged(KitContext& ctx) {
  json::object spec = ctx.make_spec("priv");
  spec["privileged"] = true;
  std::string why;
  if (!expect_code(ctx.call(ProviderOp::kHarden, {json::serialize(spec)}), StatusCode::kInvalidArgument, &why)) {
    return CheckOutcome::fail(why);
  }
  return CheckOutcome::pass();
}

}  // namespace

std::vector<Check> lifecycle_checks() {
  auto s = std::make_shared<Shared>();
  auto with = [s](CheckOutcome (*fn)(KitContext&, Shared&)) {
    return [s, fn](KitContext& ctx) { return fn(ctx, *s); };
  };
  return {
      {"capabilities", capabilities},
      {"health", health},
      {"create", with(create)},
      {"get", with(get)},
      {"list by labels (foreign labels select nothing)", with(list_by_labels)},
      {"create is idempotent per name", with(idempotent_create)},
      {"stop", with(stop)},
      {"destroy, then get is NOT_FOUND", with(destroy)},
      {"a second destroy succeeds", with(destroy_again)},
      {"get of an unknown worker is NOT_FOUND", unknown_is_not_found},
      {"list paginates", pagination},
      {"harden is idempotent", harden_idempotent},
      {"harden refuses privileged", harden_refuses_privileged},
  };
}

}  // namespace ephemera::kit
