// Robustness checks: bad input gets INVALID_ARGUMENT, never a crash; calls
// made concurrently all succeed (the host serializes plugins that ask).
#include <future>
#include <thread>

#include "check_helpers.h"

namespace ephemera::kit {

using namespace plugin_host;
namespace json = boost::json;

namespace {

constexpr ProviderOp kDocumentOps[] = {ProviderOp::kCreate, ProviderOp::kGet, ProviderOp::kList,
                                       ProviderOp::kStop,   ProviderOp::kDestroy, ProviderOp::kHarden};

CheckOutcome refuses(KitContext& ctx, const std::string& doc, const std::string& what) {
  for (ProviderOp op : kDocumentOps) {
    CallOutcome out = ctx.call(op, {doc, std::chrono::milliseconds(0)});
    if (out.status.code() != StatusCode::kInvalidArgument) {
      return CheckOutcome::fail(std::string(provider_op_name(op)) + " with " + what +
                                ": expected INVALID_ARGUMENT, got " + describe(out));
    }
  }
  return CheckOutcome::pass();
}

CheckOutcome malformed_json(KitContext& ctx) {
  for (const std::string& doc : {std::string("{\"schema\":1,"), std::string("not json"),
                                std::string("[1,2]"), std::string("\"str\"")}) {
    CheckOutcome o = refuses(ctx, doc, "'" + doc + "'");
    if (o.verdict != CheckOutcome::Verdict::kPass) return o;
  }
  return CheckOutcome::pass();
}

CheckOutcome future_schema(KitContext& ctx) {
  json::object spec = ctx.make_spec("future");
  spec["schema"] = 99;
  return refuses(ctx, json::serialize(spec), "schema 99");
}

CheckOutcome missing_schema(KitContext& ctx) {
  json::object spec = ctx.make_spec("noschema");
  spec.erase("schema");
  return refuses(ctx, json::serialize(spec), "no schema");
}

CheckOutcome concurrent_calls(KitContext& ctx) {
  constexpr int kWorkers = 8;
  std::vector<std::future<std::string>> results;
  for (int i = 0; i < kWorkers; ++i) {
    results.push_back(std::async(std::launch::async, [&ctx, i]() -> std::string {
      json::object spec = ctx.make_spec("c" + std::to_string(i));
      CallOutcome made = ctx.create(spec);
      if (!made.status.is_ok()) return "create: " + describe(made);
      CallOutcome got = ctx.call(ProviderOp::kGet, {KitContext::reference(spec)});
      if (!got.status.is_ok()) return "get: " + describe(got);
      CallOutcome gone = ctx.call(ProviderOp::kDestroy, {KitContext::reference(spec), std::chrono::seconds(1)});
      if (!gone.status.is_ok() && gone.status.code() != StatusCode::kNotFound) return "destroy: " + describe(gone);
      return {};
    }));
  }
  for (auto& r : results) {
    std::string error = r.get();
    if (!error.empty()) return CheckOutcome::fail(error);
  }
  const auto& caps = ctx.instance->capabilities();
  return CheckOutcome::pass(std::to_string(kWorkers) + " workers in parallel, " +
                            (caps.thread_safe ? "thread-safe plugin" : "serialized by the host"));
}

}  // namespace

std::vector<Check> robustness_checks() {
  return {
      {"malformed JSON is INVALID_ARGUMENT", malformed_json},
      {"an unknown schema version is INVALID_ARGUMENT", future_schema},
      {"a document without schema is INVALID_ARGUMENT", missing_schema},
      {"concurrent calls", concurrent_calls},
  };
}

}  // namespace ephemera::kit
