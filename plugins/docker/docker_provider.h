// The Docker provider: workers are containers on one Engine (see README.md).
// This class is the edge between the SDK's C++ interface and the
// errors-as-values logic below it; plugin_entry.cpp exports it through the C
// ABI, tests drive it directly with a fake host.
//
// Thread-safety: every operation may run concurrently (capabilities say
// thread_safe); watch_start/watch_stop are not called concurrently with each
// other. No I/O happens in validate_config, open, capabilities or harden.
#pragma once

#include "docker/container_spec.h"
#include "docker/docker_client.h"
#include "docker/docker_config.h"
#include "docker/events_watcher.h"
#include "docker/requests.h"

#include <ephemera/provider.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace ephemera::docker {

class DockerProvider final : public sdk::Provider {
 public:
  static sdk::Reply validate_config(std::string_view config_json);
  // Succeeds whenever the config is valid, also while the daemon is down:
  // nothing is contacted until the first call (the version is negotiated then).
  static sdk::Reply open(sdk::Host host, std::string_view config_json,
                         std::unique_ptr<DockerProvider>& out);

  DockerProvider(sdk::Host host, DockerConfig config);
  ~DockerProvider() override;

  sdk::Reply capabilities() override;
  sdk::Reply create(const sdk::Call& call, std::string_view spec_json) override;
  sdk::Reply get(const sdk::Call& call, std::string_view ref_json) override;
  sdk::Reply list(const sdk::Call& call, std::string_view selector_json) override;
  sdk::Reply stop(const sdk::Call& call, std::string_view ref_json,
                  std::chrono::milliseconds grace) override;
  sdk::Reply destroy(const sdk::Call& call, std::string_view ref_json,
                     std::chrono::milliseconds grace, bool force) override;
  sdk::Reply harden(const sdk::Call& call, std::string_view spec_json) override;
  sdk::Reply health(const sdk::Call& call) override;
  sdk::Reply watch_start() override;
  sdk::Reply watch_stop() override;

  const DockerConfig& config() const { return config_; }

 private:
  Result<WorkerSpec> hardened_spec(std::string_view spec_json) const;
  Result<std::string> do_create(const WorkerSpec& spec, const CallLimits& limits);
  Result<std::string> adopt(const WorkerSpec& spec, const CallLimits& limits);
  Result<std::string> started_info(const std::string& id, const std::string& name,
                                   const CallLimits& limits);
  MaybeError start_container(const std::string& id, const CallLimits& limits);
  MaybeError check_warnings(const std::string& id, const json::object& created);
  Result<json::object> inspect(const std::string& target, const CallLimits& limits);
  Result<json::object> resolve(const Reference& ref, const CallLimits& limits);
  Result<std::string> do_list(const Selector& selector, const CallLimits& limits);
  MaybeError stop_container(const std::string& id, std::chrono::milliseconds grace,
                            const CallLimits& limits);
  Result<std::string> do_destroy(const Reference& ref, std::chrono::milliseconds grace, bool force,
                                 const CallLimits& limits);
  // Best effort, on its own budget: cleanup must not fail because the
  // failing call used up its deadline.
  void remove_quietly(const std::string& id, std::string_view why);

  const sdk::Host host_;
  const DockerConfig config_;
  DockerClient client_;
  std::mutex watch_mu_;
  std::unique_ptr<EventsWatcher> watcher_;
};

// An Error as the SDK reply: status, message, retry-after and, for errors
// about one member, the {"schema":1,"pointer":…} payload.
sdk::Reply to_reply(const Error& error);

// The call's relative deadline as an absolute budget, a little short of the
// host's so the answer arrives before the host gives up.
CallLimits limits_of(const sdk::Call& call);

}  // namespace ephemera::docker
