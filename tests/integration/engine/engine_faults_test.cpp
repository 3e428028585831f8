// The engine under provider faults: retries, unknown outcomes, outages.
#include <catch2/catch.hpp>

#include "engine_harness.h"

using namespace ephemera;
using namespace ephemera::domain;
using namespace ephemera::test;
using namespace std::chrono_literals;
using E = EventType;
using S = WorkerState;

TEST_CASE("destroy fails N times, then NOT_FOUND: cleaned up once, after N retries with growing backoff") {
  EngineHarness h;
  auto w = h.create("{}");
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  // Three failures, and the third also removes it: the next call sees NOT_FOUND.
  h.set_faults(R"({"destroy": {"fail_first": 3, "status": "UNAVAILABLE"}})");
  REQUIRE(h.remove(id));
  std::vector<std::chrono::milliseconds> gaps;
  WallTime last = h.clock.wall_now();
  for (int i = 0; i < 20 && h.record(id).cleanup != CleanupStatus::kDone; ++i) {
    auto next = h.engine->next_due();
    REQUIRE(next);
    gaps.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(*next - last));
    h.advance(std::chrono::duration_cast<std::chrono::milliseconds>(*next - h.clock.wall_now()));
    last = h.clock.wall_now();
  }
  CHECK(h.record(id).cleanup == CleanupStatus::kDone);
  CHECK(h.engine->stats().destroy_retries == 3);
  REQUIRE(gaps.size() == 3);
  // Full jitter keeps each delay within [ceiling/2, ceiling], ceilings doubling: 0.5 s, 1 s, 2 s.
  CHECK(gaps[0] <= 500ms);
  CHECK(gaps[1] >= 500ms);
  CHECK(gaps[2] >= 1000ms);
  auto types = h.event_types(id);
  CHECK(std::count(types.begin(), types.end(), E::kWorkerCleanedUp) == 1);
}

TEST_CASE("a transient error on get or list never declares a worker gone") {
  EngineHarness h;
  auto w = h.create("{}");
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  h.set_faults(R"({"list": {"fail_every": 1, "status": "UNAVAILABLE"}, "get": {"fail_every": 1, "status": "DEADLINE_EXCEEDED"}})");
  std::optional<Result<size_t>> out;
  h.engine->reconcile("sim", [&](auto r) { out = std::move(r); });
  REQUIRE(h.run_until([&] { return out.has_value(); }));
  CHECK_FALSE(*out);
  h.set_down(true);
  out.reset();
  h.engine->reconcile("sim", [&](auto r) { out = std::move(r); });
  REQUIRE(h.run_until([&] { return out.has_value(); }));
  h.settle();
  CHECK(h.record(id).state == S::kReady);
  h.set_down(false);
}

TEST_CASE("create succeeded but the call timed out: exactly one resource, adopted") {
  HarnessOptions o;
  o.mock_settings = R"({"faults": {"create": {"fail_nth": 1, "after_success": true}}})";
  EngineHarness h(o);
  auto w = h.create("{}");
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  CHECK(h.resources().size() == 1);
  CHECK(h.engine->stats().adopted == 1);
  CHECK(h.event_types(id) == std::vector<E>{E::kWorkerCreated, E::kWorkerAdopted, E::kWorkerReady});
}

TEST_CASE("create failed for good: Failed(create_failed), nothing left") {
  EngineHarness h;
  auto w = h.create(R"({"image":"registry.local/does-not-exist:1"})");
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kFailed; }));
  CHECK_THAT(h.record(id).final_reason, Catch::StartsWith("create_failed"));
  CHECK(h.resources().empty());
}

TEST_CASE("backend down during create: retried with the same name once it is back") {
  EngineHarness h;
  h.set_down(true);
  auto w = h.create("{}");
  REQUIRE_FALSE(w);  // harden needs the backend: the request is refused, nothing recorded
  CHECK(w.status().code() == StatusCode::kUnavailable);
  h.set_down(false);
  // Down between intent and create instead: the create fails UNAVAILABLE.
  h.set_faults(R"({"create": {"fail_first": 1, "status": "UNAVAILABLE"}, "get": {"fail_first": 1, "status": "UNAVAILABLE"}})");
  auto w2 = h.create("{}");
  REQUIRE(w2);
  std::string id = w2->worker_id;
  for (int i = 0; i < 10 && h.record(id).state == S::kCreated; ++i) {
    auto next = h.engine->next_due();
    if (next) h.advance(std::chrono::duration_cast<std::chrono::milliseconds>(*next - h.clock.wall_now()));
  }
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  CHECK(h.resources().size() == 1);
}
