// The real-time driver: due work runs at its due time, not at the next tick.
// A tick of one hour makes a missed wake-up a timeout instead of a slow pass.
#include <catch2/catch.hpp>

#include "engine/engine_scheduler.h"
#include "engine_harness.h"

using namespace ephemera;
using namespace ephemera::test;
using namespace std::chrono_literals;

TEST_CASE("scheduler: a TTL of 0 is acted on at once although the tick is an hour") {
  EngineHarness h;
  engine::SchedulerOptions o;
  o.max_tick = 1h;
  o.reconcile_interval = 1h;
  o.orphan_interval = 1h;
  o.upkeep_interval = 1h;
  engine::EngineScheduler scheduler(h.io, *h.engine, *h.store, h.clock, {h.options.provider.name}, o);
  scheduler.start();
  domain::PolicyOverrides policy;
  policy.ttl_after_completion = 0ms;
  auto w = h.create(R"({"image":"busybox","extensions":{"mock":{"run_ms":0}}})", policy);
  REQUIRE(w);
  // The mock finishes the worker at once; the push makes it Terminated with
  // cleanup due now. Only a wake-up on scheduling gets it destroyed in time.
  CHECK(h.run_until([&] { return h.record(w->worker_id).cleanup == domain::CleanupStatus::kDone; }, 10s));
  CHECK(h.resources().empty());
  scheduler.stop();
}
