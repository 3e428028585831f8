// A real engine over a real SQLite store and the real mock plugin (.so),
// driven by a fake clock. Waiting is always for a condition, with a timeout:
// provider calls run on real threads, but no timer ever needs real time.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "engine/engine.h"
#include "plugin_host/plugin_library.h"
#include "store/event_store.h"

namespace ephemera::test {

struct HarnessOptions {
  std::string mock_settings = "{}";  // JSON object, merged with state_dir + fast watch
  engine::ProviderConfig provider{"sim", {}, false};
  engine::EngineOptions engine;
};

class EngineHarness {
 public:
  explicit EngineHarness(HarnessOptions options = {});
  ~EngineHarness();

  // (Re)opens store, plugin instance and engine on the same directories.
  void open();
  void close();
  void restart() {
    close();
    open();
  }

  // Runs the loop until `done()` or the timeout; false on timeout.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Runs until the engine has nothing in flight.
  bool settle();
  // Advances the fake clock, runs one GC cycle, settles.
  void advance(std::chrono::milliseconds by);

  Result<domain::WorkerRecord> create(const std::string& spec_json = "{}", domain::PolicyOverrides policy = {});
  Result<domain::WorkerRecord> report(const std::string& id, domain::InputKind kind);
  Result<domain::WorkerRecord> remove(const std::string& id, std::chrono::milliseconds grace = {}, bool force = false);
  Result<std::vector<engine::OrphanReport>> scan_orphans(bool dry_run);
  domain::WorkerRecord record(const std::string& id);
  std::vector<domain::EventType> event_types(const std::string& worker_id);

  // The mock's resources (files in its state dir).
  std::vector<boost::json::object> resources();
  void plant(const std::string& resource_id, boost::json::object resource);
  void set_faults(const std::string& faults_json);  // <state_dir>/faults.json
  void set_down(bool down);

  FakeClock clock;
  boost::asio::io_context io;
  std::unique_ptr<store::EventStore> store;
  std::unique_ptr<engine::Engine> engine;
  std::filesystem::path dir;
  std::filesystem::path mock_dir;
  HarnessOptions options;

 private:
  std::shared_ptr<plugin_host::PluginLibrary> library_;
};

// An owned label set for planting resources of this (or another) instance.
boost::json::object owned_labels(const std::string& instance, const std::string& worker_id);

}  // namespace ephemera::test
