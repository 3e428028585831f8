// Appending, group commit, validation, reopening.
#include "store/sqlite_event_store.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <future>
#include <thread>

#include "store_fixture.h"

using namespace ephemera;
using namespace ephemera::store;
using namespace ephemera::store::testing;
using domain::WorkerState;

TEST_CASE("append assigns seqs, returns records, and both survive a reopen") {
  TempDir dir;
  StoreOptions options{.path = dir.file("state.db")};
  std::vector<domain::WorkerRecord> before;
  {
    auto store = open_store(options);
    Appended a = must_append(*store, {created("w-a"), event(EventType::kWorkerInitializing, "w-a")});
    REQUIRE(a.events.size() == 2);
    CHECK(a.events[0].seq == 1);
    CHECK(a.events[1].seq == 2);
    REQUIRE(a.records.size() == 1);
    CHECK(a.records[0].state == WorkerState::kInitializing);
    CHECK(a.records[0].last_seq == 2);
    must_append(*store, {created("w-b")});
    CHECK(store->last_seq() == 3);

    auto record = store->get_record("w-a");
    REQUIRE(record);
    REQUIRE(record->has_value());
    CHECK(**record == a.records[0]);
    auto missing = store->get_record("nobody");
    REQUIRE(missing);
    CHECK_FALSE(missing->has_value());

    auto loaded = store->load_projection();
    REQUIRE(loaded);
    before = *loaded;
    REQUIRE(before.size() == 2);
  }
  auto store = open_store(options);
  CHECK(store->last_seq() == 3);
  auto loaded = store->load_projection();
  REQUIRE(loaded);
  CHECK(*loaded == before);
  CHECK(must_append(*store, {event(EventType::kWorkerReady, "w-b")}).events[0].seq == 4);
}

TEST_CASE("concurrent appenders get gap-free increasing seqs, group-committed, all durable") {
  TempDir dir;
  StoreOptions options{.path = dir.file("state.db")};
  constexpr int kThreads = 16;
  constexpr int kPerThread = 200;
  std::vector<std::vector<Event>> acked(kThreads);
  SqliteEventStore::Stats stats;
  {
    auto store = open_store(options);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::string id = "w-" + std::to_string(t);
        for (int i = 0; i < kPerThread; ++i) {
          Event e = i == 0 ? created(id) : event(i % 2 ? EventType::kWorkerRunning : EventType::kWorkerIdle, id);
          auto r = store->append({e});
          if (r) acked[t].push_back(r->events[0]);
        }
      });
    }
    for (auto& th : threads) th.join();
    stats = store->stats();
    CHECK(store->last_seq() == uint64_t{kThreads * kPerThread});
  }
  std::vector<uint64_t> seqs;
  for (const auto& mine : acked) {
    REQUIRE(mine.size() == kPerThread);
    for (size_t i = 1; i < mine.size(); ++i) CHECK(mine[i - 1].seq < mine[i].seq);
    for (const Event& e : mine) seqs.push_back(e.seq);
  }
  std::sort(seqs.begin(), seqs.end());
  for (size_t i = 0; i < seqs.size(); ++i) REQUIRE(seqs[i] == i + 1);

  CHECK(stats.requests == uint64_t{kThreads * kPerThread});
  CHECK(stats.events == uint64_t{kThreads * kPerThread});
  CHECK(stats.transactions < stats.requests);  // appends shared commits
  INFO("transactions: " << stats.transactions);

  auto store = open_store(options);
  std::vector<Event> stored = all_events(*store);
  REQUIRE(stored.size() == seqs.size());
  for (const auto& mine : acked) {
    for (const Event& e : mine) CHECK(stored[e.seq - 1] == e);
  }
}

TEST_CASE("a request the log cannot take fails alone, the rest of its batch commits") {
  TempDir dir;
  auto store = open_store({.path = dir.file("state.db")});
  must_append(*store, {created("w-a")});

  // Queued back to back, so they share batches with each other.
  std::vector<std::vector<Event>> requests = {
      {event(EventType::kWorkerRunning, "ghost")},                          // unknown worker
      {created("w-b")},                                                     // fine
      {created("w-a")},                                                     // already exists
      {event(EventType::kWorkerInitializing, "w-b")},                       // fine: sees w-b of this batch
      {event(EventType::kWorkerReady, "w-b"), event(EventType::kWorkerReady, "ghost")},  // half bad: all out
      {created("w-c"), event(EventType::kWorkerInitializing, "w-c")},       // fine
      {created("")},                                                        // no worker id
      {created("w-b")},                                                     // exists since this batch
  };
  std::vector<std::future<Result<Appended>>> answers;
  for (auto& r : requests) {
    auto promise = std::make_shared<std::promise<Result<Appended>>>();
    answers.push_back(promise->get_future());
    store->append_async(r, [promise](Result<Appended> a) { promise->set_value(std::move(a)); });
  }
  std::vector<bool> ok;
  for (auto& f : answers) {
    Result<Appended> a = f.get();
    ok.push_back(a.is_ok());
    if (!a) CHECK(a.status().code() == StatusCode::kInvalidArgument);
  }
  CHECK(ok == std::vector<bool>{false, true, false, true, false, true, false, false});

  // Seqs stay gap-free: rejected requests burn none.
  std::vector<Event> stored = all_events(*store);
  REQUIRE(stored.size() == 5);
  for (size_t i = 0; i < stored.size(); ++i) CHECK(stored[i].seq == i + 1);
  auto b = store->get_record("w-b");
  REQUIRE(b);
  CHECK((*b)->state == WorkerState::kInitializing);  // the half-bad request changed nothing
  auto loaded = store->load_projection();
  auto rebuilt = store->rebuild_projection();
  REQUIRE(loaded);
  REQUIRE(rebuilt);
  CHECK(*loaded == *rebuilt);
}

TEST_CASE("an orphan report needs no worker and changes no record") {
  TempDir dir;
  auto store = open_store({.path = dir.file("state.db")});
  Event orphan = event(EventType::kOrphanWorkerDetected, "w-unknown");
  orphan.provider = "docker-local";
  orphan.resource_id = "c0ffee";
  orphan.reason = "no record";
  Appended a = must_append(*store, {orphan});
  CHECK(a.events[0].seq == 1);
  CHECK(a.records.empty());
  auto loaded = store->load_projection();
  REQUIRE(loaded);
  CHECK(loaded->empty());
  CHECK(all_events(*store) == a.events);
}

TEST_CASE("append_async completes on the writer thread, and empty requests are fine") {
  TempDir dir;
  auto store = open_store({.path = dir.file("state.db")});
  std::promise<std::thread::id> where;
  store->append_async({created("w-a")}, [&](Result<Appended>) { where.set_value(std::this_thread::get_id()); });
  CHECK(where.get_future().get() != std::this_thread::get_id());
  Appended none = must_append(*store, {});
  CHECK(none.events.empty());
  CHECK(store->last_seq() == 1);
}

TEST_CASE("the stored projection equals the one rebuilt from the log, across a reopen") {
  TempDir dir;
  StoreOptions options{.path = dir.file("state.db")};
  {
    auto store = open_store(options);
    for (int i = 0; i < 20; ++i) {
      std::string id = "w-" + std::to_string(i);
      std::vector<Event> life = whole_life(id, kT0 + 1h);
      life.resize(static_cast<size_t>(1 + i % 6));  // workers left at every stage
      // Some in one request, some one event per request.
      if (i % 2) {
        must_append(*store, life);
      } else {
        for (Event& e : life) must_append(*store, {e});
      }
    }
  }
  auto store = open_store(options);
  auto loaded = store->load_projection();
  auto rebuilt = store->rebuild_projection();
  REQUIRE(loaded);
  REQUIRE(rebuilt);
  CHECK(loaded->size() == 20);
  CHECK(*loaded == *rebuilt);
}

TEST_CASE("a database from a newer schema, or not ours, is refused at open") {
  TempDir dir;
  StoreOptions options{.path = dir.file("state.db")};
  open_store(options)->set_meta("schema_version", "2");
  auto newer = SqliteEventStore::open(options);
  REQUIRE_FALSE(newer);
  CHECK(newer.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(newer.status().message(),
             Catch::Contains("database schema version 2 is newer than this ephemerad supports (1)"));

  std::ofstream(dir.file("junk.db")) << std::string(8192, 'j');
  auto junk = EventStore::open({.path = dir.file("junk.db")});
  REQUIRE_FALSE(junk);
  CHECK(junk.status().code() == StatusCode::kInvalidArgument);

  auto nowhere = EventStore::open({.path = dir.file("no/such/dir/state.db")});
  REQUIRE_FALSE(nowhere);
  CHECK(nowhere.status().code() == StatusCode::kUnavailable);
}

TEST_CASE("meta values are kept across a reopen") {
  TempDir dir;
  StoreOptions options{.path = dir.file("state.db")};
  {
    auto store = open_store(options);
    auto none = store->get_meta("instance_id");
    REQUIRE(none);
    CHECK_FALSE(none->has_value());
    REQUIRE(store->set_meta("instance_id", "first").is_ok());
    REQUIRE(store->set_meta("instance_id", "i-0123").is_ok());
  }
  auto store = open_store(options);
  auto id = store->get_meta("instance_id");
  REQUIRE(id);
  CHECK(*id == std::optional<std::string>("i-0123"));
  CHECK(**store->get_meta("schema_version") == "1");
}
