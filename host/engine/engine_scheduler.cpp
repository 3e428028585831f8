#include "engine/engine_scheduler.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace ephemera::engine {

using Steady = std::chrono::steady_clock;

struct EngineScheduler::Impl {
  boost::asio::io_context& io;
  Engine& engine;
  store::EventStore& store;
  const Clock& clock;
  std::vector<std::string> providers;
  SchedulerOptions options;
  boost::asio::steady_timer gc_timer{io};
  boost::asio::steady_timer periodic_timer{io};
  Steady::time_point next_reconcile, next_orphans, next_upkeep;
  Steady::time_point gc_wakes_at = Steady::time_point::max();
  bool running = false;

  Impl(boost::asio::io_context& i, Engine& e, store::EventStore& s, const Clock& c, std::vector<std::string> p,
       SchedulerOptions o)
      : io(i), engine(e), store(s), clock(c), providers(std::move(p)), options(o) {}

  void arm_gc() {
    if (!running) return;
    auto delay = options.max_tick;
    if (auto due = engine.next_due()) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*due - clock.wall_now());
      delay = std::clamp(until, std::chrono::milliseconds(0), options.max_tick);
    }
    gc_wakes_at = Steady::now() + delay;
    gc_timer.expires_after(delay);  // cancels a pending wait (its handler sees operation_aborted)
    gc_timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec || !running) return;
      gc_wakes_at = Steady::time_point::max();
      engine.run_due();
      arm_gc();
    });
  }

  // A deadline was scheduled: wake for it if it is earlier than planned.
  void on_scheduled(WallTime due) {
    if (!running) return;
    auto until = std::chrono::duration_cast<std::chrono::milliseconds>(due - clock.wall_now());
    if (Steady::now() + until + std::chrono::milliseconds(1) < gc_wakes_at) arm_gc();
  }

  void arm_periodic() {
    if (!running) return;
    periodic_timer.expires_after(std::chrono::seconds(1));
    periodic_timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec || !running) return;
      periodic();
      arm_periodic();
    });
  }

  void periodic() {
    auto now = Steady::now();
    if (now >= next_reconcile) {
      next_reconcile = now + options.reconcile_interval;
      for (const auto& p : providers) engine.reconcile(p, nullptr);
    }
    if (now >= next_orphans) {
      next_orphans = now + options.orphan_interval;
      for (const auto& p : providers) engine.scan_orphans(p, false, nullptr);
    }
    if (now >= next_upkeep) {
      next_upkeep = now + options.upkeep_interval;
      if (auto pruned = store.prune(clock.wall_now()); pruned && pruned->events > 0) {
        spdlog::info("retention: pruned {} events of {} workers", pruned->events, pruned->workers);
      }
      if (Status s = store.checkpoint(); !s.is_ok()) spdlog::warn("WAL checkpoint: {}", s.to_string());
    }
  }
};

EngineScheduler::EngineScheduler(boost::asio::io_context& io, Engine& engine, store::EventStore& store,
                                 const Clock& clock, std::vector<std::string> providers, SchedulerOptions options)
    : impl_(std::make_unique<Impl>(io, engine, store, clock, std::move(providers), options)) {}

EngineScheduler::~EngineScheduler() { stop(); }

void EngineScheduler::start() {
  impl_->running = true;
  auto now = Steady::now();
  impl_->next_reconcile = now + impl_->options.reconcile_interval;
  impl_->next_orphans = now + impl_->options.orphan_interval;
  impl_->next_upkeep = now + impl_->options.upkeep_interval;
  impl_->engine.set_on_scheduled([impl = impl_.get()](WallTime due) { impl->on_scheduled(due); });
  impl_->arm_gc();
  impl_->arm_periodic();
}

void EngineScheduler::stop() {
  impl_->running = false;
  impl_->engine.set_on_scheduled(nullptr);
  impl_->gc_timer.cancel();
  impl_->periodic_timer.cancel();
}

void EngineScheduler::set_options(SchedulerOptions options) { impl_->options = options; }

}  // namespace ephemera::engine
