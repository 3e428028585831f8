// A randomized run: thousands of API calls, reports and clock jumps against
// a mock that fails a fraction of every kind of call. Afterwards the
// projection rebuilt from the log equals the stored one and the engine's, and
// the mock holds no resource the engine does not account for — then, with
// faults off and time moved on, nothing at all.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

#include "engine_harness.h"

using namespace ephemera;
using namespace ephemera::domain;
using namespace ephemera::test;
using namespace std::chrono_literals;

namespace {

int operations() {
  const char* env = std::getenv("EPHEMERA_RANDOM_OPS");
  return env ? std::atoi(env) : 10000;
}

std::map<std::string, WorkerRecord> by_id(std::vector<WorkerRecord> records) {
  std::map<std::string, WorkerRecord> out;
  for (auto& r : records) out[r.worker_id] = std::move(r);
  return out;
}

}  // namespace

TEST_CASE("randomized operations with injected faults leave a consistent log and no leak") {
  HarnessOptions o;
  o.mock_settings = R"({"faults": {
      "create":  {"fail_fraction": 0.1, "status": "UNAVAILABLE", "seed": 1},
      "get":     {"fail_fraction": 0.1, "status": "DEADLINE_EXCEEDED", "seed": 2},
      "list":    {"fail_fraction": 0.1, "status": "UNAVAILABLE", "seed": 3},
      "stop":    {"fail_fraction": 0.1, "status": "UNAVAILABLE", "seed": 4},
      "destroy": {"fail_fraction": 0.2, "status": "UNAVAILABLE", "seed": 5}}})";
  o.provider.policy.orphan_grace = 0ms;
  EngineHarness h(o);
  std::mt19937 rng(12345);
  std::vector<std::string> ids;
  auto pick = [&]() -> std::string { return ids.empty() ? "w-none" : ids[rng() % ids.size()]; };
  const int n = operations();
  for (int i = 0; i < n; ++i) {
    switch (rng() % 10) {
      case 0:
      case 1: {
        PolicyOverrides p;
        p.idle_timeout = std::chrono::minutes(1 + rng() % 10);
        p.max_lifetime = std::chrono::minutes(10 + rng() % 60);
        if (rng() % 2) p.ttl_after_completion = std::chrono::minutes(rng() % 5);
        std::string spec = rng() % 3 == 0 ? R"({"extensions":{"mock":{"run_ms":120000,"exit_code":)" +
                                                std::to_string(rng() % 2) + "}}}"
                                          : "{}";
        if (auto w = h.create(spec, p)) ids.push_back(w->worker_id);
        break;
      }
      case 2: h.report(pick(), InputKind::kApiRunning); break;
      case 3: h.report(pick(), InputKind::kApiIdle); break;
      case 4: h.report(pick(), InputKind::kApiComplete); break;
      case 5: h.remove(pick(), std::chrono::seconds(rng() % 5), rng() % 4 == 0); break;
      case 6: {
        std::optional<Result<size_t>> out;
        h.engine->reconcile("sim", [&](auto r) { out = std::move(r); });
        h.run_until([&] { return out.has_value(); });
        h.settle();
        break;
      }
      case 7: h.scan_orphans(false); break;
      default: h.advance(std::chrono::seconds(rng() % 300)); break;
    }
  }
  h.settle();

  const auto& st = h.engine->stats();
  size_t live_resources = h.resources().size();
  WARN(ids.size() << " workers, " << live_resources << " resources left, " << st.destroy_retries
                  << " destroy retries, " << st.creates_retried << " creates retried, " << st.adopted
                  << " adopted, " << st.orphans_deleted << " orphans deleted");
  CHECK(ids.size() > static_cast<size_t>(n / 10));  // the run did real work

  // The log folds to the stored projection, and to what the engine holds.
  auto stored = h.store->load_projection();
  auto rebuilt = h.store->rebuild_projection();
  REQUIRE(stored);
  REQUIRE(rebuilt);
  CHECK(by_id(stored.value()) == by_id(rebuilt.value()));
  auto trimmed = stored.value();
  for (auto& r : trimmed) engine::trim_for_memory(r);
  CHECK(by_id(trimmed) == by_id(h.engine->workers()));

  // Every resource in the backend belongs to a worker the engine still accounts for.
  for (const auto& res : h.resources()) {
    std::string wid(res.at("worker_id").as_string());
    const WorkerRecord* r = h.engine->find(wid);
    INFO("resource of " << wid);
    REQUIRE(r != nullptr);
    CHECK(r->cleanup != CleanupStatus::kDone);
  }

  // Faults off, time moves past every lifetime and retention: nothing is left.
  h.set_faults("{}");
  for (int i = 0; i < 40 && !h.resources().empty(); ++i) {
    h.advance(std::chrono::hours(2));
    std::optional<Result<size_t>> out;
    h.engine->reconcile("sim", [&](auto r) { out = std::move(r); });
    h.run_until([&] { return out.has_value(); });
    h.settle();
  }
  CHECK(h.resources().empty());
  CHECK(by_id(h.store->load_projection().value()) == by_id(h.store->rebuild_projection().value()));
}
