#include "plugin_host/provider_instance.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <future>

#include "plugin_host/call_outcome.h"
#include "plugin_host/host_api.h"

namespace ephemera::plugin_host {
namespace {

eph_str as_str(const std::string& s) { return eph_str{s.data(), s.size()}; }

// Ops whose success must carry a JSON document.
bool needs_payload(ProviderOp op) {
  return op == ProviderOp::kCapabilities || op == ProviderOp::kCreate || op == ProviderOp::kGet ||
         op == ProviderOp::kList || op == ProviderOp::kHarden;
}

// Calls the plugin. Takes everything by value or owning pointer: it may run
// after the ProviderInstance is gone (an abandoned call).
CallOutcome invoke_op(const eph_provider_api& api, eph_provider* handle, ProviderOp op,
                      const OpArgs& args, eph_call& call, int64_t deadline_ms) {
  int32_t rc = EPH_UNSUPPORTED;
  bool implemented = true;
  switch (op) {
    case ProviderOp::kCapabilities:
      implemented = api.on_capabilities != nullptr;
      if (implemented) rc = api.on_capabilities(handle, &call);
      break;
    case ProviderOp::kCreate:
      implemented = api.on_create != nullptr;
      if (implemented) rc = api.on_create(handle, &call, deadline_ms, as_str(args.json));
      break;
    case ProviderOp::kGet:
      implemented = api.on_get != nullptr;
      if (implemented) rc = api.on_get(handle, &call, deadline_ms, as_str(args.json));
      break;
    case ProviderOp::kList:
      implemented = api.on_list != nullptr;
      if (implemented) rc = api.on_list(handle, &call, deadline_ms, as_str(args.json));
      break;
    case ProviderOp::kStop:
      implemented = api.on_stop != nullptr;
      if (implemented) rc = api.on_stop(handle, &call, deadline_ms, as_str(args.json), args.grace.count());
      break;
    case ProviderOp::kDestroy:
      implemented = api.on_destroy != nullptr;
      if (implemented) {
        rc = api.on_destroy(handle, &call, deadline_ms, as_str(args.json), args.grace.count(),
                            args.force ? EPH_DESTROY_FORCE : 0u);
      }
      break;
    case ProviderOp::kHarden:
      implemented = api.on_harden != nullptr;
      if (implemented) rc = api.on_harden(handle, &call, deadline_ms, as_str(args.json));
      break;
    case ProviderOp::kHealth:
      implemented = api.on_health != nullptr;
      if (implemented) rc = api.on_health(handle, &call, deadline_ms);
      break;
  }
  if (!implemented) {
    return CallOutcome{Status(StatusCode::kUnsupported,
                              std::string(provider_op_name(op)) + " is not implemented by the plugin"),
                       {}};
  }
  CallOutcome outcome = collect_outcome(call, rc);
  std::string_view name = provider_op_name(op);
  if (outcome.status.is_ok() && needs_payload(op) && outcome.payload.empty()) {
    return CallOutcome{Status(StatusCode::kInternal, "plugin returned no JSON payload for " + std::string(name)), {}};
  }
  if (!outcome.payload.empty()) {
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(outcome.payload, ec);
    if (ec || !doc.is_object()) {
      return CallOutcome{Status(StatusCode::kInternal, "plugin returned invalid JSON for " +
                                                           std::string(name) + ": " +
                                                           (ec ? ec.message() : "not an object")),
                         {}};
    }
  }
  return outcome;
}

bool get_bool(const boost::json::object& o, std::string_view key, bool fallback) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() ? v->as_bool() : fallback;
}

}  // namespace

std::string_view provider_op_name(ProviderOp op) {
  switch (op) {
    case ProviderOp::kCapabilities: return "capabilities";
    case ProviderOp::kCreate: return "create";
    case ProviderOp::kGet: return "get";
    case ProviderOp::kList: return "list";
    case ProviderOp::kStop: return "stop";
    case ProviderOp::kDestroy: return "destroy";
    case ProviderOp::kHarden: return "harden";
    case ProviderOp::kHealth: return "health";
  }
  return "unknown";
}

Result<ProviderCapabilities> parse_capabilities(const std::string& json) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) {
    return Status(StatusCode::kInvalidArgument, "capabilities are not a JSON object");
  }
  const auto& o = doc.as_object();
  const auto* schema = o.if_contains("schema");
  if (schema == nullptr || !schema->is_int64() || schema->as_int64() != EPH_SCHEMA_VERSION) {
    return Status(StatusCode::kInvalidArgument, "capabilities carry no \"schema\": 1");
  }
  ProviderCapabilities caps;
  caps.json = json;
  caps.thread_safe = get_bool(o, "thread_safe", false);
  caps.stop_keeps_resource = get_bool(o, "stop_keeps_resource", false);
  caps.watch = get_bool(o, "watch", false);
  if (const auto* mc = o.if_contains("max_concurrency"); mc && mc->is_int64() && mc->as_int64() > 0) {
    caps.max_concurrency = static_cast<size_t>(mc->as_int64());
  }
  if (const auto* w = o.if_contains("workloads"); w && w->is_array()) {
    for (const auto& item : w->as_array()) {
      if (item.is_string()) caps.workloads.emplace_back(item.as_string());
    }
  }
  return caps;
}

ProviderInstance::ProviderInstance(std::shared_ptr<PluginLibrary> library,
                                   std::shared_ptr<eph_host> host, InstanceOptions options)
    : library_(std::move(library)),
      host_(std::move(host)),
      executor_(std::make_unique<CallExecutor>(host_->provider_name, ExecutorLimits{})),
      options_(std::move(options)) {
  executor_->set_drain_timeout(options_.drain_timeout);
}

Result<std::unique_ptr<ProviderInstance>> ProviderInstance::open(std::shared_ptr<PluginLibrary> library,
                                                                 InstanceOptions options) {
  const std::string where = "provider " + options.name + " (" + library->path().string() + ")";
  ConfigVerdict verdict = library->validate_config(options.config_json, options.open_deadline);
  if (!verdict.status.is_ok()) {
    std::string at = verdict.pointer.empty() ? "" : " at " + verdict.pointer;
    return Status(verdict.status.code(),
                  where + ": validate_config failed" + at + ": " + verdict.status.message());
  }
  auto host = std::make_shared<eph_host>();
  host->provider_name = options.name;
  host->clock = options.clock != nullptr ? options.clock : &SystemClock::instance();
  host->log = options.hooks.log;
  host->status_pushed = options.hooks.status_pushed;
  host->reconcile_requested = options.hooks.reconcile_requested;
  std::unique_ptr<ProviderInstance> instance(new ProviderInstance(library, host, std::move(options)));

  const std::string config = instance->options_.config_json;
  // The slot outlives this frame: an open that overruns may still finish later.
  auto slot = std::make_shared<std::atomic<eph_provider*>>(nullptr);
  CallOutcome opened = instance->executor_->run(
      "open", instance->options_.open_deadline, [library, host, config, slot](eph_call& call) {
        eph_provider* out = nullptr;
        int32_t rc = library->api().on_open(host_api(), host.get(), &call, as_str(config), &out);
        CallOutcome outcome = collect_outcome(call, rc);
        if (outcome.status.is_ok() && out == nullptr) {
          outcome.status = Status(StatusCode::kInternal, "on_open succeeded without an instance");
        }
        slot->store(out);
        return outcome;
      });
  if (!opened.status.is_ok()) {
    // An instance that arrives after its deadline is leaked, never closed under a racing caller.
    return Status(opened.status.code(), where + ": open failed: " + opened.status.message());
  }
  eph_provider* handle = slot->load();
  instance->handle_ = handle;
  if (Status caps = instance->load_capabilities(); !caps.is_ok()) {
    return Status(caps.code(), where + ": " + caps.message());
  }
  return instance;
}

Status ProviderInstance::load_capabilities() {
  CallOutcome out = call_sync(ProviderOp::kCapabilities, {}, options_.open_deadline);
  if (!out.status.is_ok()) return Status(out.status.code(), "capabilities failed: " + out.status.message());
  auto caps = parse_capabilities(out.payload);
  if (!caps) return Status(StatusCode::kInternal, caps.status().message());
  capabilities_ = std::move(caps.value());
  ExecutorLimits limits;
  limits.serialized = !capabilities_.thread_safe;
  limits.max_concurrency = std::min(capabilities_.max_concurrency, options_.max_concurrency_cap);
  limits.stuck_limit = options_.stuck_limit;
  executor_->set_limits(limits);
  return Status::ok();
}

void ProviderInstance::call(ProviderOp op, OpArgs args, std::chrono::milliseconds deadline, Done done) {
  auto library = library_;
  auto host = host_;
  eph_provider* handle = handle_;
  int64_t deadline_ms = deadline.count();
  executor_->submit(std::string(provider_op_name(op)), deadline,
                    [library, host, handle, op, args = std::move(args), deadline_ms](eph_call& c) {
                      return invoke_op(library->api(), handle, op, args, c, deadline_ms);
                    },
                    std::move(done));
}

CallOutcome ProviderInstance::call_sync(ProviderOp op, OpArgs args, std::chrono::milliseconds deadline) {
  auto promise = std::make_shared<std::promise<CallOutcome>>();
  auto future = promise->get_future();
  call(op, std::move(args), deadline, [promise](CallOutcome o) { promise->set_value(std::move(o)); });
  return future.get();
}

Status ProviderInstance::watch_start() {
  if (library_->api().on_watch_start == nullptr) {
    return Status(StatusCode::kUnsupported, "plugin has no watch");
  }
  eph_call call;
  CallOutcome out = collect_outcome(call, library_->api().on_watch_start(handle_, &call));
  watching_ = out.status.is_ok();
  return out.status;
}

Status ProviderInstance::watch_stop() {
  if (!watching_ || library_->api().on_watch_stop == nullptr) return Status::ok();
  eph_call call;
  CallOutcome out = collect_outcome(call, library_->api().on_watch_stop(handle_, &call));
  watching_ = false;
  return out.status;
}

ProviderInstance::~ProviderInstance() {
  if (handle_ == nullptr) return;
  if (Status s = watch_stop(); !s.is_ok()) {
    spdlog::warn("provider {}: watch_stop: {}", name(), s.to_string());
  }
  if (!executor_->drain(options_.drain_timeout)) {
    spdlog::error("provider {}: calls still stuck in the plugin; not closing the instance", name());
    return;  // the library stays loaded: stuck calls hold it
  }
  library_->api().on_close(handle_);
}

}  // namespace ephemera::plugin_host
