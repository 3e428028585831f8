// A full disk, simulated with SQLite's max_page_count (StoreOptions).
#include <catch2/catch.hpp>

#include <future>

#include "store_fixture.h"

using namespace ephemera;
using namespace ephemera::store;
using namespace ephemera::store::testing;

namespace {

// Appends 4 KB creations until one fails; returns the acknowledged events
// and the first failure.
std::pair<std::vector<Event>, Status> fill(SqliteEventStore& store, const std::string& prefix) {
  std::vector<Event> acked;
  for (int i = 0; i < 1000; ++i) {
    auto r = store.append({created(prefix + std::to_string(i), kT0, 4000)});
    if (!r) return {acked, r.status()};
    acked.push_back(r->events[0]);
  }
  return {acked, Status::ok()};
}

}  // namespace

TEST_CASE("a full disk fails the append whole, keeps what was acknowledged, and the store carries on") {
  TempDir dir;
  StoreOptions options{.path = dir.file("state.db"), .max_page_count = 64};
  auto store = open_store(options);
  auto [acked, full] = fill(*store, "w-");
  REQUIRE(acked.size() > 1);
  REQUIRE(full.code() == StatusCode::kResourceExhausted);
  CHECK_THAT(full.message(), Catch::Contains("disk full"));
  CHECK(store->stats().failed_transactions == 1);

  // Nothing acknowledged is lost, nothing of the failed append is visible.
  CHECK(store->last_seq() == acked.back().seq);
  CHECK(all_events(*store) == acked);
  auto loaded = store->load_projection();
  REQUIRE(loaded);
  CHECK(loaded->size() == acked.size());

  // Still full: refused again, cleanly.
  auto again = store->append({created("w-again", kT0, 4000)});
  CHECK(again.status().code() == StatusCode::kResourceExhausted);

  // Room again: the same store goes on, and the failures burnt no seq.
  REQUIRE(store->set_max_page_count(0).is_ok());
  Appended after = must_append(*store, {created("w-after", kT0, 4000)});
  CHECK(after.events[0].seq == acked.back().seq + 1);
  acked.push_back(after.events[0]);

  store.reset();
  auto reopened = open_store({.path = options.path});
  CHECK(all_events(*reopened) == acked);
  auto stored = reopened->load_projection();
  auto rebuilt = reopened->rebuild_projection();
  REQUIRE(stored);
  REQUIRE(rebuilt);
  CHECK(*stored == *rebuilt);
}

TEST_CASE("a full disk fails every request of the batch it hits, and a reopen recovers") {
  TempDir dir;
  StoreOptions options{.path = dir.file("state.db"), .max_page_count = 64};
  std::vector<Event> acked;
  {
    auto store = open_store(options);
    acked = fill(*store, "w-").first;
    // Several at once: whatever batch they share fails whole, seqs intact.
    std::vector<std::future<Result<Appended>>> answers;
    for (int i = 0; i < 8; ++i) {
      auto promise = std::make_shared<std::promise<Result<Appended>>>();
      answers.push_back(promise->get_future());
      store->append_async({created("w-burst-" + std::to_string(i), kT0, 4000)},
                          [promise](Result<Appended> r) { promise->set_value(std::move(r)); });
    }
    for (auto& f : answers) CHECK(f.get().status().code() == StatusCode::kResourceExhausted);
    CHECK(store->last_seq() == acked.back().seq);
  }
  auto store = open_store({.path = options.path});
  CHECK(all_events(*store) == acked);
  CHECK(must_append(*store, {created("w-next")}).events[0].seq == acked.back().seq + 1);
}
