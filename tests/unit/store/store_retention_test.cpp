// Retention (prune, tombstones, the horizon) and paging through the log.
#include <catch2/catch.hpp>

#include "store_fixture.h"

using namespace ephemera;
using namespace ephemera::store;
using namespace ephemera::store::testing;
using domain::WorkerState;

namespace {

constexpr auto kDay = std::chrono::hours(24);

Event orphan_at(WallTime at) {
  Event e = event(EventType::kOrphanWorkerDetected, "w-stray", at);
  e.provider = "docker-local";
  e.resource_id = "c0ffee";
  return e;
}

std::vector<std::string> ids(const std::vector<domain::WorkerRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.worker_id);
  return out;
}

EventPage page(EventStore& store, uint64_t after, const std::optional<std::string>& worker = std::nullopt,
               size_t limit = 1000) {
  auto p = store.read_events(after, limit, worker);
  INFO(p.status().to_string());
  REQUIRE(p);
  return *p;
}

// seq 1..16; w-old is cleaned up at kT0 and owns the newest events (11..16).
void fill(EventStore& store) {
  must_append(store, {created("w-live")});                         // 1
  must_append(store, {orphan_at(kT0)});                            // 2
  must_append(store, {orphan_at(kT0 + 6 * kDay)});                 // 3
  must_append(store, whole_life("w-recent", kT0 + 6 * kDay));      // 4..9
  must_append(store, {event(EventType::kWorkerInitializing, "w-live")});  // 10
  must_append(store, whole_life("w-old", kT0));                    // 11..16
}

}  // namespace

TEST_CASE("prune drops only old cleaned-up workers' events, a tombstone and the horizon remain") {
  TempDir dir;
  StoreOptions options{.path = dir.file("state.db"), .event_retention = 7 * kDay};
  {
    auto store = open_store(options);
    fill(*store);
    auto pruned = store->prune(kT0 + 7 * kDay + std::chrono::hours(1));
    REQUIRE(pruned);
    CHECK(pruned->workers == 1);
    CHECK(pruned->events == 7);  // w-old's six and the old orphan report
    CHECK(pruned->horizon == 16);

    auto tomb = store->get_record("w-old");
    REQUIRE(tomb);
    REQUIRE(tomb->has_value());
    CHECK((*tomb)->state == WorkerState::kTerminated);
    CHECK((*tomb)->cleaned_up_at == std::optional<WallTime>(kT0));
    CHECK((*tomb)->last_seq == 16);
    CHECK((*tomb)->intent.provider == "mock");
    CHECK((*tomb)->intent.labels.empty());  // the spec and labels went with the events

    auto loaded = store->load_projection();
    auto rebuilt = store->rebuild_projection();
    REQUIRE(loaded);
    REQUIRE(rebuilt);
    CHECK(ids(*loaded) == std::vector<std::string>{"w-live", "w-recent"});
    CHECK(*loaded == *rebuilt);

    // Before the horizon: gone (410). From it on: complete.
    CHECK(page(*store, 0).gone);
    CHECK(page(*store, 15).gone);
    CHECK_FALSE(page(*store, 16).gone);
    CHECK(page(*store, 16).horizon == 16);
    // One worker: gone only when its own events were pruned.
    CHECK(page(*store, 0, "w-old").gone);
    EventPage live = page(*store, 0, "w-live");
    CHECK_FALSE(live.gone);
    REQUIRE(live.events.size() == 2);
    CHECK(live.events[1].seq == 10);
    CHECK(page(*store, 0, "w-recent").events.size() == 6);

    // A pruned worker takes no more events, and its id is not reused.
    auto late = store->append({event(EventType::kWorkerCleanedUp, "w-old")});
    CHECK(late.status().code() == StatusCode::kInvalidArgument);
    CHECK(store->append({created("w-old")}).status().code() == StatusCode::kInvalidArgument);

    auto again = store->prune(kT0 + 7 * kDay + std::chrono::hours(1));
    REQUIRE(again);
    CHECK(again->events == 0);
    CHECK(again->horizon == 16);
  }
  // The pruned tail's seqs are never handed out again.
  auto store = open_store(options);
  CHECK(store->last_seq() == 16);
  CHECK(must_append(*store, {event(EventType::kWorkerReady, "w-live")}).events[0].seq == 17);

  // Pruning older seqs later never lowers the horizon.
  auto later = store->prune(kT0 + 14 * kDay);
  REQUIRE(later);
  CHECK(later->workers == 1);
  CHECK(later->events == 7);  // w-recent's six and the newer orphan report
  CHECK(later->horizon == 16);
  CHECK(ids(*store->load_projection()) == std::vector<std::string>{"w-live"});
}

TEST_CASE("read_events pages through the whole log or one worker's") {
  TempDir dir;
  auto store = open_store({.path = dir.file("state.db")});
  for (int w = 0; w < 3; ++w) must_append(*store, {created("w-" + std::to_string(w))});
  for (int i = 0; i < 9; ++i) {
    for (int w = 0; w < 3; ++w) {
      must_append(*store, {event(i % 2 ? EventType::kWorkerIdle : EventType::kWorkerRunning, "w-" + std::to_string(w))});
    }
  }
  std::vector<Event> everything = all_events(*store);
  REQUIRE(everything.size() == 30);

  std::vector<Event> paged;
  for (uint64_t after = 0;;) {
    EventPage p = page(*store, after, std::nullopt, 7);
    CHECK_FALSE(p.gone);
    CHECK(p.events.size() <= 7);
    if (p.events.empty()) break;
    after = p.events.back().seq;
    paged.insert(paged.end(), p.events.begin(), p.events.end());
  }
  CHECK(paged == everything);

  EventPage mine = page(*store, 10, "w-1", 4);
  REQUIRE(mine.events.size() == 4);
  for (const Event& e : mine.events) {
    CHECK(e.worker_id == "w-1");
    CHECK(e.seq > 10);
  }
  CHECK(mine.events.front().seq == 11);
  CHECK(page(*store, 0, std::nullopt, 0).events.empty());
  CHECK(page(*store, 0, "nobody").events.empty());
}
