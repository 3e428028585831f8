// EngineScheduler: drives an Engine in real time on its io_context — GC
// cycles at the next due time (re-checked at least every `max_tick`, which
// also absorbs wall-clock jumps), a reconcile list per provider every
// `reconcile_interval`, an orphan scan every `orphan_interval`, and store
// upkeep (retention, WAL checkpoint). Tests drive Engine::run_due directly on
// a fake clock instead.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace ephemera::engine {

struct SchedulerOptions {
  std::chrono::milliseconds max_tick{200};
  std::chrono::milliseconds reconcile_interval{std::chrono::seconds(30)};
  std::chrono::milliseconds orphan_interval{std::chrono::minutes(5)};
  std::chrono::milliseconds upkeep_interval{std::chrono::minutes(1)};
};

class EngineScheduler {
 public:
  EngineScheduler(boost::asio::io_context& io, Engine& engine, store::EventStore& store, const Clock& clock,
                  std::vector<std::string> providers, SchedulerOptions options);
  ~EngineScheduler();
  void start();
  void stop();
  void set_options(SchedulerOptions options);  // SIGHUP: new intervals

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ephemera::engine
