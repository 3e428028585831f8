#include "daemon/engine_api_backend.h"

#include <openssl/evp.h>

#include <algorithm>

#include "engine/worker_spec.h"
#include "metrics/ephemera_metrics.h"

namespace ephemera::daemon {

using domain::WorkerRecord;

namespace {

// The first 64 bits of SHA-256(text).
uint64_t sha256_bits(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | digest[i];
  return bits;
}

bool matches(const engine::Engine& engine, const WorkerRecord& r, const api::WorkerFilter& f) {
  if (!f.include_cleaned_up && r.cleanup == domain::CleanupStatus::kDone) return false;
  if (f.state && r.state != *f.state) return false;
  if (f.provider && r.intent.provider != *f.provider) return false;
  if (f.labels.empty()) return true;
  const auto labels = engine.labels_of(r);
  for (const auto& [k, v] : f.labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace

EngineApiBackend::EngineApiBackend(engine::Engine& engine, store::EventStore& store,
                                   metrics::MetricsRegistry& metrics, std::string instance_id)
    : engine_(engine), store_(store), metrics_(metrics), instance_id_(std::move(instance_id)) {}

void EngineApiBackend::on_commit(const Status& status, uint64_t last_seq) {
  // A rejected request (bad input) says nothing about the disk.
  if (status.is_ok() || status.code() != StatusCode::kInvalidArgument) last_commit_ = status;
  metrics_.set(metrics::kStoreWritable, {}, last_commit_.is_ok() ? 1 : 0);
  if (!status.is_ok()) return;
  // Wake every follower waiting for something before last_seq.
  auto end = waiters_.lower_bound(last_seq);
  std::vector<std::function<void()>> wake;
  for (auto it = waiters_.begin(); it != end; ++it) wake.push_back(std::move(it->second));
  waiters_.erase(waiters_.begin(), end);
  for (auto& w : wake) w();
}

std::string EngineApiBackend::idempotent_worker_id(const std::string& key) const {
  return engine::worker_id_from_bits(sha256_bits(instance_id_ + "\n" + key));
}

void EngineApiBackend::create_worker(api::CreateWorkerRequest request, api::Done<api::CreatedWorker> done) {
  if (request.idempotency_key.empty()) {
    engine_.create(engine::CreateRequest{request.provider, request.spec_json, request.policy, {}},
                   [this, done](Result<WorkerRecord> r) {
                     if (!r) return done(r.status());
                     done(api::CreatedWorker{shown(std::move(r.value())), false});
                   });
    return;
  }
  const std::string id = idempotent_worker_id(request.idempotency_key);
  if (const WorkerRecord* existing = engine_.find(id)) {
    done(api::CreatedWorker{shown(*existing), true});
    return;
  }
  auto [it, first] = creating_.try_emplace(id);
  it->second.push_back(std::move(done));
  if (!first) return;  // the first request's answer goes to every waiter
  engine_.create(engine::CreateRequest{request.provider, request.spec_json, request.policy, id},
                 [this, id](Result<WorkerRecord> r) {
                   auto waiting = std::move(creating_[id]);
                   creating_.erase(id);
                   for (size_t i = 0; i < waiting.size(); ++i) {
                     if (!r) {
                       waiting[i](r.status());
                     } else {
                       waiting[i](api::CreatedWorker{shown(r.value()), i > 0});
                     }
                   }
                 });
}

Result<WorkerRecord> EngineApiBackend::get_worker(const std::string& id) {
  if (const WorkerRecord* r = engine_.find(id)) return shown(*r);
  return Status(StatusCode::kNotFound, "no worker " + id);
}

api::WorkerPage EngineApiBackend::list_workers(const api::WorkerFilter& filter) {
  // Filter by reference, then copy only the page (plus one to know there is more).
  std::vector<const WorkerRecord*> hits;
  engine_.for_each_worker([&](const WorkerRecord& r) {
    if (!filter.after.empty() && r.worker_id <= filter.after) return;
    if (matches(engine_, r, filter)) hits.push_back(&r);
  });
  const size_t limit = std::max<size_t>(1, filter.limit);
  auto by_id = [](const WorkerRecord* a, const WorkerRecord* b) { return a->worker_id < b->worker_id; };
  const size_t keep = std::min(hits.size(), limit + 1);
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(), by_id);
  api::WorkerPage page;
  for (size_t i = 0; i < std::min(keep, limit); ++i) page.items.push_back(shown(*hits[i]));
  if (hits.size() > limit) page.next = page.items.back().worker_id;
  return page;
}

void EngineApiBackend::report(const std::string& id, domain::InputKind kind, api::Done<WorkerRecord> done) {
  engine_.report(id, kind, showing(std::move(done)));
}

void EngineApiBackend::remove(const std::string& id, std::chrono::milliseconds grace, bool force,
                              api::Done<WorkerRecord> done) {
  engine_.remove(id, grace, force, showing(std::move(done)));
}

WorkerRecord EngineApiBackend::shown(WorkerRecord r) const {
  r.intent.labels = engine_.labels_of(r);
  return r;
}

api::Done<WorkerRecord> EngineApiBackend::showing(api::Done<WorkerRecord> done) const {
  return [this, done = std::move(done)](Result<WorkerRecord> r) {
    if (!r) return done(r.status());
    done(shown(std::move(r.value())));
  };
}

void EngineApiBackend::run_gc(api::Done<size_t> done) { done(engine_.run_due()); }

void EngineApiBackend::scan_orphans(const std::optional<std::string>& provider, bool dry_run,
                                    api::Done<std::vector<api::OrphanView>> done) {
  std::vector<std::string> names;
  engine_.for_each_provider([&](const std::string& name, plugin_host::ProviderInstance*) {
    if (!provider || *provider == name) names.push_back(name);
  });
  if (names.empty()) return done(Status(StatusCode::kNotFound, "unknown provider '" + provider.value_or("") + "'"));
  struct Gather {
    std::vector<api::OrphanView> found;
    Status first_error;
    size_t left;
    api::Done<std::vector<api::OrphanView>> done;
  };
  auto g = std::make_shared<Gather>(Gather{{}, Status(), names.size(), std::move(done)});
  for (const auto& name : names) {
    engine_.scan_orphans(name, dry_run, [g](Result<std::vector<engine::OrphanReport>> r) {
      if (!r && g->first_error.is_ok()) g->first_error = r.status();
      if (r) {
        for (const auto& o : r.value()) g->found.push_back({o.provider, o.resource_id, o.name, o.worker_id, o.deleted});
      }
      if (--g->left > 0) return;
      // One provider down must not hide what the others found.
      if (g->found.empty() && !g->first_error.is_ok()) return g->done(g->first_error);
      g->done(std::move(g->found));
    });
  }
}

Result<store::EventPage> EngineApiBackend::read_events(uint64_t after, size_t limit,
                                                       const std::optional<std::string>& worker) {
  return store_.read_events(after, limit, worker);
}

void EngineApiBackend::on_event_after(uint64_t after, std::function<void()> wake) {
  if (store_.last_seq() > after) return wake();
  waiters_.emplace(after, std::move(wake));
}

std::vector<api::ProviderView> EngineApiBackend::providers() {
  std::vector<api::ProviderView> out;
  engine_.for_each_provider([&](const std::string& name, plugin_host::ProviderInstance* p) {
    api::ProviderView v;
    v.name = name;
    if (p == nullptr) {
      v.detail = "plugin could not be opened (see the log)";
      out.push_back(std::move(v));
      return;
    }
    v.plugin = p->library().describe();
    v.open = true;
    v.capabilities_json = p->capabilities().json;
    v.stuck_calls = p->stuck_calls();
    auto health = p->call_sync(plugin_host::ProviderOp::kHealth, {}, std::chrono::seconds(2));
    v.healthy = health.status.is_ok() && health.payload.find("\"healthy\":true") != std::string::npos;
    v.detail = health.status.is_ok() ? health.payload : health.status.to_string();
    metrics_.set(metrics::kProviderUp, {{"provider", name}}, v.healthy ? 1 : 0);
    out.push_back(std::move(v));
  });
  return out;
}

void EngineApiBackend::render(const std::string& provider, std::string spec_json, api::Done<std::string> done) {
  engine_.render(provider, spec_json, std::move(done));
}

api::Readiness EngineApiBackend::readiness() {
  if (!serving_) return {false, "starting or draining"};
  if (!last_commit_.is_ok()) return {false, "store not writable: " + last_commit_.to_string()};
  return {true, ""};
}

void EngineApiBackend::refresh_gauges() {
  std::map<std::string, double> by_state;
  engine_.for_each_worker([&](const WorkerRecord& r) {
    if (r.cleanup != domain::CleanupStatus::kDone) by_state[std::string(domain::state_name(r.state))] += 1;
  });
  metrics_.clear(metrics::kWorkers);
  for (const auto& [state, n] : by_state) metrics_.set(metrics::kWorkers, {{"state", state}}, n);
  engine_.for_each_provider([&](const std::string& name, plugin_host::ProviderInstance* p) {
    metrics_.set(metrics::kStuckCalls, {{"provider", name}}, p == nullptr ? 0 : static_cast<double>(p->stuck_calls()));
  });
  metrics_.set(metrics::kStoreWritable, {}, last_commit_.is_ok() ? 1 : 0);
}

std::string EngineApiBackend::metrics_text() {
  refresh_gauges();
  return metrics_.render();
}

}  // namespace ephemera::daemon
