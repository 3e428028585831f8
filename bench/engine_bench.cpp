// Engine benchmarks: a GC cycle's cost with 100,000 tracked workers and 0,
// 100 or 10,000 due; start-up recovery (load + schedule) of 100,000 workers;
// memory per tracked worker. Run: build/bin/engine_bench
#include <benchmark/benchmark.h>
#include <boost/asio/io_context.hpp>

#include <malloc.h>
#include <sqlite3.h>

#include <filesystem>
#include <random>

#include "domain/transitions.h"
#include "engine/engine.h"
#include "engine/worker_spec.h"
#include "store/event_store.h"

using namespace ephemera;
using namespace std::chrono_literals;

namespace {

constexpr int kWorkers = 100'000;

// A store with `n` Ready workers; the first `due` have an idle timeout that
// has passed at `now`, the rest far in the future.
std::filesystem::path make_store(int n, int due, WallTime created) {
  auto dir = std::filesystem::temp_directory_path() / ("ephemera-bench-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  auto store = store::EventStore::open({dir / "s.db"}).value();
  std::vector<domain::Event> batch;
  for (int i = 0; i < n; ++i) {
    // A worker as the engine really records one: an id of the real form, a user label,
    // the spec hash and a small redacted spec.
    std::string id = engine::worker_id_from_bits(static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull);
    domain::CreationIntent intent;
    intent.provider = "sim";
    intent.resource_name = "eph-bench-" + id;
    intent.labels = {{"team", "ci"}};  // ownership labels are derived, never stored
    intent.spec_hash = std::string(64, 'a');
    intent.redacted_spec = R"({"schema":1,"image":"runner:1","command":["run-job"],"env":{"TOKEN":"<redacted>"},)"
                           R"("resources":{"cpu_millis":1000,"memory_bytes":536870912,"pids":256}})";
    intent.policy.idle_timeout = i < due ? 1min : 24h;
    intent.policy.max_lifetime = 24h;
    batch.push_back(domain::worker_created(id, intent, created));
    domain::Event init;
    init.worker_id = id;
    init.type = domain::EventType::kWorkerInitializing;
    init.at = created;
    batch.push_back(init);
    domain::Event ready = init;
    ready.type = domain::EventType::kWorkerReady;
    batch.push_back(ready);
    if (batch.size() >= 3000) {
      store->append(std::move(batch)).value();
      batch.clear();
    }
  }
  if (!batch.empty()) store->append(std::move(batch)).value();
  return dir;
}

size_t heap_in_use() {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks;
}

void BM_GcCycle(benchmark::State& state) {
  const int due = static_cast<int>(state.range(0));
  FakeClock clock;
  auto dir = make_store(kWorkers, due, clock.wall_now());
  auto store = store::EventStore::open({dir / "s.db"}).value();
  boost::asio::io_context io;
  engine::EngineOptions options;
  options.owner = {"b", "bench"};
  options.limits.idle_timeout = 24h;
  engine::Engine engine(io, *store, clock, options);
  engine.start();
  clock.advance(2min);
  for (auto _ : state) {
    size_t acted = engine.run_due();
    // The cycle is done when its decisions are durable.
    while (engine.busy() > 0) {
      io.restart();  // an io_context that ran out of work stays stopped until restarted
      io.run_one_for(10ms);
    }
    benchmark::DoNotOptimize(acted);
    state.PauseTiming();
    clock.advance(1ms);
    state.ResumeTiming();
  }
  state.counters["due"] = due;
  std::filesystem::remove_all(dir);
}
// Only the first cycle has work due: one iteration each.
BENCHMARK(BM_GcCycle)->Arg(0)->Arg(100)->Arg(10'000)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_GcCycleNothingDue(benchmark::State& state) {
  FakeClock clock;
  auto dir = make_store(kWorkers, 0, clock.wall_now());
  auto store = store::EventStore::open({dir / "s.db"}).value();
  boost::asio::io_context io;
  engine::Engine engine(io, *store, clock, engine::EngineOptions{{"b", "bench"}});
  engine.start();
  for (auto _ : state) benchmark::DoNotOptimize(engine.run_due());
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_GcCycleNothingDue)->Unit(benchmark::kMicrosecond);

void BM_RecoveryAndMemory(benchmark::State& state) {
  FakeClock clock;
  auto dir = make_store(kWorkers, 0, clock.wall_now());
  for (auto _ : state) {
    malloc_trim(0);
    size_t before = heap_in_use();
    const sqlite3_int64 sqlite_before = sqlite3_memory_used();
    auto store = store::EventStore::open({dir / "s.db"}).value();
    boost::asio::io_context io;
    auto engine = std::make_unique<engine::Engine>(io, *store, clock, engine::EngineOptions{{"b", "bench"}});
    engine->start();  // load the projection, schedule every deadline
    state.PauseTiming();
    size_t after = heap_in_use();
    // The target counts the engine's memory, SQLite's page cache aside (it is
    // bounded by cache_size, not by the number of workers), so SQLite's own
    // heap is measured and taken out.
    const double sqlite_bytes = static_cast<double>(sqlite3_memory_used() - sqlite_before);
    state.counters["bytes_per_worker"] = (static_cast<double>(after - before) - sqlite_bytes) / kWorkers;
    state.counters["sqlite_MiB"] = sqlite_bytes / (1024 * 1024);
    engine.reset();
    state.ResumeTiming();
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RecoveryAndMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
