// Config checks: validate_config accepts the given settings, rejects an
// unknown key by name, rejects malformed and future documents; a second
// instance opens and closes cleanly.
#include "check_helpers.h"

namespace ephemera::kit {

using namespace plugin_host;
namespace json = boost::json;

namespace {

constexpr auto kDeadline = std::chrono::seconds(10);
constexpr std::string_view kUnknownKey = "ephemera_kit_unknown_key";

CheckOutcome accepts_config(KitContext& ctx) {
  ConfigVerdict v = ctx.library->validate_config(ctx.config_json(), kDeadline);
  if (!v.status.is_ok()) return CheckOutcome::fail("rejected the kit's config: " + v.status.to_string());
  return CheckOutcome::pass();
}

CheckOutcome rejects_unknown_key(KitContext& ctx) {
  json::object settings = ctx.options().settings;
  settings[kUnknownKey] = true;
  ConfigVerdict v = ctx.library->validate_config(ctx.config_json(settings), kDeadline);
  if (v.status.code() != StatusCode::kInvalidArgument) {
    return CheckOutcome::fail("expected INVALID_ARGUMENT, got " + v.status.to_string());
  }
  if (v.pointer.find(kUnknownKey) == std::string::npos) {
    return CheckOutcome::fail("error does not point at the key (pointer '" + v.pointer + "')");
  }
  return CheckOutcome::pass("pointer " + v.pointer);
}

CheckOutcome rejects_malformed(KitContext& ctx) {
  for (const std::string& doc : {std::string("{\"schema\":1,"), std::string("[]"), std::string("")}) {
    ConfigVerdict v = ctx.library->validate_config(doc, kDeadline);
    if (v.status.code() != StatusCode::kInvalidArgument) {
      return CheckOutcome::fail("config '" + doc + "': expected INVALID_ARGUMENT, got " + v.status.to_string());
    }
  }
  return CheckOutcome::pass();
}

CheckOutcome rejects_future_schema(KitContext& ctx) {
  json::object config = parse_object(ctx.config_json());
  config["schema"] = 99;
  ConfigVerdict v = ctx.library->validate_config(json::serialize(config), kDeadline);
  if (v.status.code() != StatusCode::kInvalidArgument) {
    return CheckOutcome::fail("schema 99: expected INVALID_ARGUMENT, got " + v.status.to_string());
  }
  return CheckOutcome::pass();
}

CheckOutcome open_close(KitContext& ctx) {
  InstanceOptions io;
  io.name = "kit-second";
  io.config_json = ctx.config_json();
  io.hooks.log = [](int32_t, std::string_view) {};
  auto second = ProviderInstance::open(ctx.library, io);
  if (!second) return CheckOutcome::fail(second.status().message());
  bool thread_safe = second.value()->capabilities().thread_safe;
  second.value().reset();  // closes it
  return CheckOutcome::pass(std::string("thread_safe=") + (thread_safe ? "true" : "false"));
}

}  // namespace

std::vector<Check> config_checks() {
  return {
      {"validate_config accepts the config", accepts_config},
      {"validate_config names an unknown key", rejects_unknown_key},
      {"validate_config rejects malformed JSON", rejects_malformed},
      {"validate_config rejects an unknown schema version", rejects_future_schema},
      {"open and close a second instance", open_close},
  };
}

}  // namespace ephemera::kit
