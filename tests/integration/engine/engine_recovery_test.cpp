// Restarts and orphans: intent without a resource, a resource without a
// record, workers lost while the host was away, other installations' work.
#include <catch2/catch.hpp>

#include "domain/transitions.h"
#include "engine_harness.h"

using namespace ephemera;
using namespace ephemera::domain;
using namespace ephemera::test;
using namespace std::chrono_literals;
using E = EventType;
using S = WorkerState;

namespace {

// Writes the intent the way the engine does, then "crashes" before create.
std::string intent_only(EngineHarness& h, const std::string& id) {
  CreationIntent intent;
  intent.provider = "sim";
  intent.resource_name = "eph-test-" + id;
  intent.labels = {{"ephemera.dev/managed-by", "ephemera"}, {"ephemera.dev/site", "test"},
                   {"ephemera.dev/instance", "inst-a"},     {"ephemera.dev/provider", "sim"},
                   {"ephemera.dev/worker-id", id}};
  intent.redacted_spec = R"({"schema":1,"worker_id":")" + id + R"(","name":"eph-test-)" + id +
                         R"(","labels":{"ephemera.dev/instance":"inst-a","ephemera.dev/managed-by":"ephemera",)"
                         R"("ephemera.dev/provider":"sim","ephemera.dev/site":"test","ephemera.dev/worker-id":")" +
                         id + R"("},"user":"65532"})";
  intent.spec_hash = engine::spec_hash(intent.redacted_spec);
  REQUIRE(h.store->append({worker_created(id, intent, h.clock.wall_now())}));
  return id;
}

}  // namespace

TEST_CASE("crash between intent and create: after restart it is created once, same name") {
  EngineHarness h;
  h.close();
  h.store = std::move(store::EventStore::open({h.dir / "store.db"}).value());
  std::string id = intent_only(h, "w-crash1");
  h.store.reset();
  h.open();
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  auto res = h.resources();
  REQUIRE(res.size() == 1);
  CHECK(res[0].at("name").as_string() == "eph-test-w-crash1");
}

TEST_CASE("crash after create, before its event: after restart the resource is adopted, no duplicate") {
  EngineHarness h;
  h.close();
  h.store = std::move(store::EventStore::open({h.dir / "store.db"}).value());
  std::string id = intent_only(h, "w-crash2");
  h.store.reset();
  h.plant("res-crash2", boost::json::object{{"name", "eph-test-w-crash2"}, {"labels", owned_labels("inst-a", id)}});
  h.open();
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  CHECK(h.resources().size() == 1);
  CHECK(h.record(id).resource_id == "res-crash2");
  auto types = h.event_types(id);
  CHECK(types == std::vector<E>{E::kWorkerCreated, E::kWorkerAdopted, E::kWorkerReady});
}

TEST_CASE("a worker whose resource vanished while the host was down is marked lost") {
  EngineHarness h;
  auto w = h.create("{}");
  REQUIRE(w);
  std::string id = w->worker_id;
  REQUIRE(h.run_until([&] { return h.record(id).state == S::kReady; }));
  h.close();
  std::filesystem::remove_all(h.mock_dir / "resources");
  h.clock.advance(1min);
  h.open();
  REQUIRE(h.run_until([&] { return h.record(id).cleanup == CleanupStatus::kDone; }));
  CHECK(h.record(id).state == S::kFailed);
  auto types = h.event_types(id);
  CHECK(types.back() == E::kWorkerCleanedUp);
  CHECK(std::count(types.begin(), types.end(), E::kWorkerLost) == 1);
}

TEST_CASE("orphans: old ones deleted with an event, young ones and other instances' untouched") {
  HarnessOptions o;
  o.provider.policy.orphan_grace = 10min;
  EngineHarness h(o);
  auto old_at = h.clock.wall_now_ms() - 3600 * 1000;
  h.plant("old", boost::json::object{{"name", "eph-test-w-old"}, {"labels", owned_labels("inst-a", "w-old")},
                                     {"created_at_ms", old_at}});
  h.plant("young", boost::json::object{{"name", "eph-test-w-young"}, {"labels", owned_labels("inst-a", "w-young")}});
  h.plant("foreign", boost::json::object{{"name", "eph-test-w-foreign"},
                                         {"labels", owned_labels("inst-b", "w-foreign")},
                                         {"created_at_ms", old_at}});
  // First sighting: "old" is judged by max(created, first seen) — first seen is now.
  auto first = h.scan_orphans(false);
  REQUIRE(first);
  CHECK(first->empty());
  h.clock.advance(11min);
  auto second = h.scan_orphans(false);
  REQUIRE(second);
  REQUIRE(second->size() == 2);  // old and (now also old enough) young; never foreign
  std::vector<std::string> names;
  for (const auto& r : h.resources()) names.emplace_back(r.at("name").as_string());
  CHECK(names == std::vector<std::string>{"eph-test-w-foreign"});
  CHECK(h.engine->stats().orphans_deleted == 2);
  auto page = h.store->read_events(0, 100, std::nullopt);
  REQUIRE(page);
  int detected = 0;
  for (const auto& e : page->events) {
    if (e.type == E::kOrphanWorkerDetected) {
      ++detected;
      CHECK((e.resource_id == "old" || e.resource_id == "young"));
    }
  }
  CHECK(detected == 2);
}

TEST_CASE("report-only orphans: an event, nothing deleted; a dry run writes nothing") {
  HarnessOptions o;
  o.provider.policy.orphan_grace = 0ms;
  o.provider.orphans_report_only = true;
  EngineHarness h(o);
  h.plant("stray", boost::json::object{{"name", "eph-test-w-stray"}, {"labels", owned_labels("inst-a", "w-stray")}});
  auto dry = h.scan_orphans(true);
  REQUIRE(dry);
  CHECK(dry->size() == 1);
  CHECK(h.store->read_events(0, 100, std::nullopt)->events.empty());
  auto real = h.scan_orphans(false);
  REQUIRE(real);
  REQUIRE(real->size() == 1);
  CHECK_FALSE(real->at(0).deleted);
  CHECK(h.resources().size() == 1);
  CHECK(h.store->read_events(0, 100, std::nullopt)->events.size() == 1);
}

TEST_CASE("an orphan whose destroy fails: one event, the destroy retried by later scans until it is gone") {
  HarnessOptions o;
  o.provider.policy.orphan_grace = 0ms;
  EngineHarness h(o);
  h.plant("stuck", boost::json::object{{"name", "eph-test-w-stuck"}, {"labels", owned_labels("inst-a", "w-stuck")}});
  h.set_faults(R"({"destroy": {"fail_first": 2, "status": "UNAVAILABLE"}})");
  auto detected = [&] {
    auto page = h.store->read_events(0, 100, std::nullopt);  // kept alive: the loop reads into it
    REQUIRE(page);
    int n = 0;
    for (const auto& e : page->events) n += e.type == E::kOrphanWorkerDetected;
    return n;
  };
  for (int scan = 0; scan < 2; ++scan) {
    auto r = h.scan_orphans(false);
    REQUIRE(r);
    REQUIRE(r->size() == 1);
    CHECK_FALSE(r->at(0).deleted);
    CHECK(h.resources().size() == 1);
  }
  CHECK(detected() == 1);  // the second scan retried the destroy without a second event
  auto third = h.scan_orphans(false);
  REQUIRE(third);
  REQUIRE(third->size() == 1);
  CHECK(third->at(0).deleted);
  CHECK(h.resources().empty());
  CHECK(detected() == 1);
  auto after = h.scan_orphans(false);
  REQUIRE(after);
  CHECK(after->empty());
}
