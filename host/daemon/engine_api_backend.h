// EngineApiBackend: the admin API's view of the daemon, over the Engine and
// its EventStore. Everything runs on the engine's loop (ApiBackend contract).
//
// Idempotency: a create with a key gets a worker id derived from the key
// (sha256 of instance id + key), so the WorkerCreated event itself is the
// durable record of the key: a retry — even after a restart — finds that
// worker instead of making a second one. Concurrent retries wait on the
// first one's answer.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/api_backend.h"
#include "engine/engine.h"
#include "metrics/metrics_registry.h"

namespace ephemera::daemon {

class EngineApiBackend : public api::ApiBackend {
 public:
  EngineApiBackend(engine::Engine& engine, store::EventStore& store, metrics::MetricsRegistry& metrics,
                   std::string instance_id);

  // Wired to EngineOptions::on_commit: wakes followers, tracks writability.
  void on_commit(const Status& status, uint64_t last_seq);
  // The daemon is serving (store loaded, API listening); false while draining.
  void set_serving(bool serving) { serving_ = serving; }

  void create_worker(api::CreateWorkerRequest request, api::Done<api::CreatedWorker> done) override;
  Result<domain::WorkerRecord> get_worker(const std::string& id) override;
  api::WorkerPage list_workers(const api::WorkerFilter& filter) override;
  void report(const std::string& id, domain::InputKind kind, api::Done<domain::WorkerRecord> done) override;
  void remove(const std::string& id, std::chrono::milliseconds grace, bool force,
              api::Done<domain::WorkerRecord> done) override;
  void run_gc(api::Done<size_t> done) override;
  void scan_orphans(const std::optional<std::string>& provider, bool dry_run,
                    api::Done<std::vector<api::OrphanView>> done) override;
  Result<store::EventPage> read_events(uint64_t after, size_t limit,
                                       const std::optional<std::string>& worker) override;
  void on_event_after(uint64_t after, std::function<void()> wake) override;
  std::vector<api::ProviderView> providers() override;
  void render(const std::string& provider, std::string spec_json, api::Done<std::string> done) override;
  api::Readiness readiness() override;
  std::string metrics_text() override;

 private:
  // Records keep only the user's labels; what the API shows has the
  // ownership labels too (Engine::labels_of).
  domain::WorkerRecord shown(domain::WorkerRecord r) const;
  api::Done<domain::WorkerRecord> showing(api::Done<domain::WorkerRecord> done) const;
  std::string idempotent_worker_id(const std::string& key) const;
  void refresh_gauges();

  engine::Engine& engine_;
  store::EventStore& store_;
  metrics::MetricsRegistry& metrics_;
  std::string instance_id_;
  bool serving_ = false;
  Status last_commit_;  // the store's last verdict: not writable → not ready
  std::multimap<uint64_t, std::function<void()>> waiters_;  // by the seq they wait past
  std::map<std::string, std::vector<api::Done<api::CreatedWorker>>> creating_;  // by worker id
};

}  // namespace ephemera::daemon
