// The engine end to end over the mock provider and a real store, on a fake
// clock: event sequences per path, GC selection, timers across restarts.
#include <catch2/catch.hpp>

#include "engine_harness.h"

using namespace ephemera;
using namespace ephemera::domain;
using namespace ephemera::test;
using namespace std::chrono_literals;
using E = EventType;
using S = WorkerState;

namespace {

std::string runs_for(std::chrono::milliseconds ms, int exit_code = 0) {
  return R"({"image":"busybox","extensions":{"mock":{"run_ms":)" + std::to_string(ms.count()) +
         R"(,"exit_code":)" + std::to_string(exit_code) + "}}}";
}

PolicyOverrides ttl(std::chrono::milliseconds t) {
  PolicyOverrides p;
  p.ttl_after_completion = t;
  return p;
}

}  // namespace

TEST_CASE("happy path: busy, idle, complete, TTL, cleaned up") {
  EngineHarness h;
  auto w = h.create("{}", ttl(1min));
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  REQUIRE(h.report(id, InputKind::kApiRunning));
  REQUIRE(h.report(id, InputKind::kApiIdle));
  REQUIRE(h.report(id, InputKind::kApiComplete));
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kTerminated; }));
  CHECK(h.resources().size() == 1);  // kept for its TTL (logs, exit code)
  h.advance(59s);
  CHECK(h.record(id).cleanup == CleanupStatus::kPending);
  h.advance(2s);
  REQUIRE(h.run_until([&] { return h.record(id).cleanup == CleanupStatus::kDone; }));
  CHECK(h.resources().empty());
  CHECK(h.event_types(id) == std::vector<E>{E::kWorkerCreated, E::kWorkerInitializing, E::kWorkerReady,
                                            E::kWorkerRunning, E::kWorkerIdle, E::kWorkerTerminating,
                                            E::kWorkerTerminated, E::kWorkerCleanedUp});
}

TEST_CASE("a worker that exits by itself is removed at once when TTL is unset") {
  EngineHarness h;
  auto w = h.create(runs_for(30s));
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  h.clock.advance(31s);  // the mock's worker finishes on the host clock; its watch tells us
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kTerminated; }));
  h.advance(0ms);
  REQUIRE(h.run_until([&] { return h.record(id).cleanup == CleanupStatus::kDone; }));
  CHECK(h.resources().empty());
  CHECK(h.event_types(id) == std::vector<E>{E::kWorkerCreated, E::kWorkerInitializing, E::kWorkerReady,
                                            E::kWorkerTerminated, E::kWorkerCleanedUp});
}

TEST_CASE("failure path: non-zero exit is Failed and kept for failed_retention") {
  PolicyOverrides p;
  p.failed_retention = 10min;
  EngineHarness h;
  auto w = h.create(runs_for(5s, 3), p);
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  h.clock.advance(6s);
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kFailed; }));
  CHECK(h.record(id).backend.exit_code == 3);
  h.advance(9min);
  CHECK(h.resources().size() == 1);
  h.advance(2min);
  REQUIRE(h.run_until([&] { return h.record(id).cleanup == CleanupStatus::kDone; }));
  CHECK(h.event_types(id) == std::vector<E>{E::kWorkerCreated, E::kWorkerInitializing, E::kWorkerReady,
                                            E::kWorkerFailed, E::kWorkerCleanedUp});
}

TEST_CASE("idle expiry fires although reports keep arriving") {
  PolicyOverrides p;
  p.idle_timeout = 5min;
  EngineHarness h;
  auto w = h.create("{}", p);
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  for (int i = 0; i < 4; ++i) {
    h.advance(1min);
    REQUIRE(h.report(id, InputKind::kApiReady));  // a heartbeat: must not reset the timer
  }
  h.advance(61s);  // 5 min after entering Ready, 61 s after the last heartbeat
  CHECK(h.record(id).state != S::kReady);
  CHECK(h.record(id).terminating_reason == "idle_timeout");
  auto types = h.event_types(id);
  CHECK(std::count(types.begin(), types.end(), E::kWorkerReady) == 1);
}

TEST_CASE("max lifetime stops a busy worker") {
  PolicyOverrides p;
  p.max_lifetime = 1h;
  EngineHarness h;
  auto w = h.create("{}", p);
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  REQUIRE(h.report(id, InputKind::kApiRunning));
  h.advance(59min);
  CHECK(h.record(id).state == S::kRunning);
  h.advance(2min);
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kTerminated; }));
  CHECK(h.record(id).final_reason == "max_lifetime");
}

TEST_CASE("delete: terminating(deleted), destroyed now, cleaned up") {
  EngineHarness h;
  auto w = h.create("{}");
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  REQUIRE(h.remove(id, 1s));
  REQUIRE(h.run_until([&] { return h.record(id).cleanup == CleanupStatus::kDone; }));
  CHECK(h.resources().empty());
  CHECK(h.event_types(id) == std::vector<E>{E::kWorkerCreated, E::kWorkerInitializing, E::kWorkerReady,
                                            E::kWorkerTerminating, E::kWorkerTerminated, E::kWorkerCleanedUp});
  CHECK(h.record(id).final_reason == "deleted");
}

TEST_CASE("a TTL survives a restart: deletion happens at the original deadline") {
  EngineHarness h;
  auto w = h.create(runs_for(10s), ttl(10min));
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  h.clock.advance(11s);
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kTerminated; }));
  auto due = h.record(id).cleanup_due_at;
  REQUIRE(due);
  h.advance(5min);
  h.restart();  // close and reopen the store mid-TTL
  CHECK(h.record(id).cleanup_due_at == due);
  CHECK(h.engine->next_due() == due);
  h.advance(4min);
  CHECK(h.resources().size() == 1);
  h.advance(2min);
  REQUIRE(h.run_until([&] { return h.record(id).cleanup == CleanupStatus::kDone; }));
  CHECK(h.resources().empty());
}

TEST_CASE("one GC cycle acts on exactly the due workers; a busy worker only past max lifetime") {
  PolicyOverrides p;
  p.idle_timeout = 10min;
  p.max_lifetime = 2h;
  EngineHarness h;
  auto ready = h.create("{}", p);
  auto busy = h.create("{}", p);
  auto idle = h.create("{}", p);
  REQUIRE((ready && busy && idle));
  for (auto* w : {&ready, &busy, &idle}) {
    std::string id = (*w)->worker_id;
    REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  }
  REQUIRE(h.report(busy->worker_id, InputKind::kApiRunning));
  REQUIRE(h.report(idle->worker_id, InputKind::kApiRunning));
  REQUIRE(h.report(idle->worker_id, InputKind::kApiIdle));
  h.advance(11min);
  CHECK(h.record(ready->worker_id).terminating_reason == "idle_timeout");
  CHECK(h.record(idle->worker_id).terminating_reason == "idle_timeout");
  CHECK(h.record(busy->worker_id).state == S::kRunning);  // never reaped while busy
  h.advance(2h);
  REQUIRE(h.run_until([&] { return h.record(busy->worker_id).state == S::kTerminated; }));
  CHECK(h.record(busy->worker_id).final_reason == "max_lifetime");
}
