// The event store under load, on the real disk (a temp dir, normally /tmp):
//  - BM_DurableTransitions: each caller appends single events (Running/Idle
//    alternating on its own worker) and waits until they are durable
//    (synchronous=FULL); items_per_second is durable transitions/second over
//    all callers. Group commit is what makes it grow with callers.
//  - BM_LoadProjection / BM_Startup: load_projection of 100,000 workers, and
//    open + load_projection (what ephemerad does at start).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "domain/transitions.h"
#include "store/sqlite_event_store.h"

namespace {

using namespace ephemera;
using ephemera::domain::Event;
using ephemera::domain::EventType;

constexpr int kProjectionWorkers = 100'000;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ephemera-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::filesystem::path db() const { return path_ / "state.db"; }

 private:
  std::filesystem::path path_;
};

std::string worker_id(int i) { return "w-" + std::to_string(i); }

Event transition(const std::string& id, EventType type) {
  Event e;
  e.worker_id = id;
  e.type = type;
  e.at = std::chrono::system_clock::now();
  if (type == EventType::kWorkerInitializing) e.resource_id = "res-" + id;
  return e;
}

// A worker as the engine would create it, taken to Ready.
std::vector<Event> ready_worker(const std::string& id) {
  domain::CreationIntent in;
  in.provider = "mock";
  in.resource_name = "eph-bench-" + id;
  in.labels = {{"ephemera.io/managed-by", "ephemerad"}, {"ephemera.io/worker-id", id}};
  in.spec_hash = "sha256:5d41402abc4b2a76b9719d911017c592";
  in.redacted_spec = R"({"image":"busybox:1.36","command":["sleep","3600"],"env":{"TOKEN":"<redacted>"}})";
  return {domain::worker_created(id, in, std::chrono::system_clock::now()),
          transition(id, EventType::kWorkerInitializing), transition(id, EventType::kWorkerReady)};
}

std::unique_ptr<store::SqliteEventStore> open_or_die(const std::filesystem::path& db) {
  auto s = store::SqliteEventStore::open({.path = db});
  if (!s) {
    fprintf(stderr, "open %s: %s\n", db.c_str(), s.status().to_string().c_str());
    abort();
  }
  return std::move(*s);
}

// Creates workers [0, n) in requests of up to 1,000 events.
void create_workers(store::EventStore& s, int n) {
  std::vector<Event> request;
  for (int i = 0; i < n; ++i) {
    for (Event& e : ready_worker(worker_id(i))) request.push_back(std::move(e));
    if (request.size() >= 999 || i == n - 1) {
      if (!s.append(std::move(request))) abort();
      request.clear();
    }
  }
}

// --- transitions ------------------------------------------------------------

struct TransitionsFixture {
  TempDir dir;
  std::unique_ptr<store::SqliteEventStore> store = open_or_die(dir.db());
};
std::unique_ptr<TransitionsFixture> g_transitions;

void setup_transitions(const benchmark::State& state) {
  g_transitions = std::make_unique<TransitionsFixture>();
  create_workers(*g_transitions->store, state.threads());
}
void teardown_transitions(const benchmark::State&) { g_transitions.reset(); }

void BM_DurableTransitions(benchmark::State& state) {
  store::SqliteEventStore& s = *g_transitions->store;
  const std::string id = worker_id(state.thread_index());
  bool running = false;
  for (auto _ : state) {
    running = !running;
    auto r = s.append({transition(id, running ? EventType::kWorkerRunning : EventType::kWorkerIdle)});
    if (!r) {
      state.SkipWithError(r.status().to_string().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    // How well group commit worked: events per transaction, over the run
    // (the setup's few large appends included).
    auto stats = s.stats();
    state.counters["events_per_commit"] =
        static_cast<double>(stats.events) / static_cast<double>(std::max<uint64_t>(stats.transactions, 1));
  }
}
BENCHMARK(BM_DurableTransitions)
    ->Setup(setup_transitions)
    ->Teardown(teardown_transitions)
    ->Threads(1)
    ->Threads(16)
    ->Threads(256)
    ->MinTime(2.0)
    ->UseRealTime();

// --- startup ----------------------------------------------------------------

// Built once, on first use, for both startup benchmarks; removed at exit.
const TempDir& projection_db() {
  static const TempDir dir;
  static const bool built = [] {
    create_workers(*open_or_die(dir.db()), kProjectionWorkers);
    return true;
  }();
  (void)built;
  return dir;
}

void BM_LoadProjection(benchmark::State& state) {
  auto s = open_or_die(projection_db().db());
  for (auto _ : state) {
    auto records = s->load_projection();
    if (!records || records->size() != kProjectionWorkers) state.SkipWithError("load_projection failed");
    benchmark::DoNotOptimize(records);
  }
  state.SetItemsProcessed(state.iterations() * kProjectionWorkers);
}
BENCHMARK(BM_LoadProjection)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Startup(benchmark::State& state) {
  const auto db = projection_db().db();
  for (auto _ : state) {
    auto s = open_or_die(db);
    auto records = s->load_projection();
    if (!records || records->size() != kProjectionWorkers) state.SkipWithError("load_projection failed");
    benchmark::DoNotOptimize(records);
  }
  state.SetItemsProcessed(state.iterations() * kProjectionWorkers);
}
BENCHMARK(BM_Startup)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
