// ProviderInstance: one opened instance of a provider plugin, and the only
// way the rest of the host calls into it.
//
// Every blocking operation runs on the instance's CallExecutor with a
// relative deadline; results arrive through a callback (async) or as a
// return value (sync, for the CLI tools and tests). Payloads are checked to
// be JSON before anyone sees them: a plugin answering garbage gets INTERNAL.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "plugin_host/call_executor.h"
#include "plugin_host/plugin_library.h"

struct eph_host;

namespace ephemera::plugin_host {

enum class ProviderOp { kCapabilities, kCreate, kGet, kList, kStop, kDestroy, kHarden, kHealth };
std::string_view provider_op_name(ProviderOp op);

// The arguments of one operation: the JSON document (spec, ref or
// selector) and, for stop/destroy, the grace period and force flag.
struct OpArgs {
  std::string json;
  std::chrono::milliseconds grace{0};
  bool force = false;
};

struct ProviderCapabilities {
  bool thread_safe = false;
  size_t max_concurrency = 4;
  bool stop_keeps_resource = false;
  bool watch = false;
  std::vector<std::string> workloads;
  std::string json;  // as the plugin sent it
};

// What the instance tells its owner, from any thread. Must not block.
struct HostHooks {
  std::function<void(int32_t level, std::string_view message)> log;  // default: spdlog
  std::function<void(std::string worker_info_json)> status_pushed;
  std::function<void(std::string reason)> reconcile_requested;
};

struct InstanceOptions {
  std::string name;          // the provider's configured name, e.g. "docker-main"
  std::string config_json;   // the provider config document
  const Clock* clock = nullptr;  // default: the system clock
  HostHooks hooks;
  std::chrono::milliseconds open_deadline{std::chrono::seconds(10)};
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};
  size_t stuck_limit = 8;
  size_t max_concurrency_cap = 64;  // the host's ceiling on the plugin's wish
};

class ProviderInstance {
 public:
  using Done = CallExecutor::Done;

  // validate_config, then open, then capabilities. Errors name the plugin file.
  static Result<std::unique_ptr<ProviderInstance>> open(std::shared_ptr<PluginLibrary> library,
                                                        InstanceOptions options);
  // Stops the watch, drains calls, then on_close — unless a call is stuck in
  // the plugin, in which case the instance is leaked rather than closed under it.
  ~ProviderInstance();
  ProviderInstance(const ProviderInstance&) = delete;
  ProviderInstance& operator=(const ProviderInstance&) = delete;

  void call(ProviderOp op, OpArgs args, std::chrono::milliseconds deadline, Done done);
  CallOutcome call_sync(ProviderOp op, OpArgs args, std::chrono::milliseconds deadline);

  // Watch runs on the plugin's own threads; these calls bypass serialization.
  Status watch_start();
  Status watch_stop();

  const ProviderCapabilities& capabilities() const { return capabilities_; }
  const std::string& name() const { return options_.name; }
  const PluginLibrary& library() const { return *library_; }
  size_t stuck_calls() const { return executor_->stuck_calls(); }
  size_t stuck_calls_total() const { return executor_->stuck_calls_total(); }
  size_t in_flight() const { return executor_->in_flight(); }

 private:
  ProviderInstance(std::shared_ptr<PluginLibrary> library, std::shared_ptr<eph_host> host,
                   InstanceOptions options);
  Status load_capabilities();

  std::shared_ptr<PluginLibrary> library_;
  std::shared_ptr<eph_host> host_;  // shared: abandoned calls may still log through it
  std::unique_ptr<CallExecutor> executor_;
  eph_provider* handle_ = nullptr;
  ProviderCapabilities capabilities_;
  InstanceOptions options_;
  bool watching_ = false;
};

// Parses a capabilities document; INVALID_ARGUMENT when it is not one.
Result<ProviderCapabilities> parse_capabilities(const std::string& json);

}  // namespace ephemera::plugin_host
