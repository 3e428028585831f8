// KitContext: what every conformance check shares — the loaded plugin, an
// open instance, the run's unique labels, the resources created (so they can
// be removed whatever happens) and the watch pushes received.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "plugin_host/provider_instance.h"

namespace ephemera::kit {

struct KitOptions {
  std::filesystem::path plugin;
  boost::json::object settings;       // the plugin's settings
  boost::json::object spec_template;  // image, command... for test workers
  std::chrono::milliseconds call_deadline{std::chrono::seconds(30)};
  std::chrono::milliseconds settle_timeout{std::chrono::seconds(60)};
};

class KitContext {
 public:
  explicit KitContext(KitOptions options);
  ~KitContext();

  const KitOptions& options() const { return options_; }
  const std::string& run_id() const { return run_id_; }

  // {"schema":1, ..., "settings": settings}
  std::string config_json(const boost::json::object& settings) const;
  std::string config_json() const { return config_json(options_.settings); }

  std::shared_ptr<plugin_host::PluginLibrary> library;
  std::unique_ptr<plugin_host::ProviderInstance> instance;

  // A fresh worker spec carrying this run's labels; `n` makes name and id unique.
  boost::json::object make_spec(const std::string& suffix) const;
  // The labels every worker of this run carries (the list selector).
  boost::json::object run_labels() const;
  static std::string reference(const boost::json::object& spec_or_info);

  // Calls the instance, recording how long it took against its deadline.
  plugin_host::CallOutcome call(plugin_host::ProviderOp op, plugin_host::OpArgs args = {});
  plugin_host::CallOutcome call(plugin_host::ProviderOp op, plugin_host::OpArgs args,
                                std::chrono::milliseconds deadline);
  // create, remembering the name for cleanup.
  plugin_host::CallOutcome create(const boost::json::object& spec);
  // Polls get until the worker leaves "pending" (or settle_timeout passes).
  std::optional<boost::json::object> wait_until_started(const boost::json::object& spec);
  // Destroys everything this run created; returns how many were left.
  size_t cleanup();
  // How many resources with this run's labels the plugin still lists
  // (nullopt when the list call fails).
  std::optional<size_t> remaining();

  // Watch pushes received so far, and a wait for one matching a predicate.
  bool wait_for_push(const std::string& worker_id, const std::string& state,
                     std::chrono::milliseconds timeout);
  size_t push_count();
  // The watch hook: records a pushed worker-info document (any thread).
  void record_push(std::string info_json);

  struct Timing {
    size_t calls = 0;
    size_t overruns = 0;  // calls the host had to abandon at their deadline
    std::chrono::milliseconds slowest{0};
  };
  Timing timing();

 private:
  KitOptions options_;
  std::string run_id_;
  std::filesystem::path state_dir_;
  std::mutex mu_;
  std::condition_variable push_cv_;
  std::vector<boost::json::object> pushes_;
  std::set<std::string> created_;  // references (JSON) of created workers
  Timing timing_;
};

boost::json::object parse_object(const std::string& json);

}  // namespace ephemera::kit
