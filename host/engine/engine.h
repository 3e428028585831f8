// Engine: the lifecycle engine. It owns the projection (every worker's
// record), one index of due times, and the providers; it turns commands,
// provider observations and deadlines into durable events (through the
// EventStore) and side effects (provider calls).
//
// Threading: everything runs on one Boost.Asio io_context thread — the
// engine's loop. Provider calls run on each provider's bounded pool and
// store commits on the store's writer thread; both post their completions
// back to the loop. Inputs for one worker are handled one at a time (the next
// waits until the previous one's events are durable), so no decision is ever
// made on a stale record.
//
// Callbacks (`Done`) run on the loop.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "domain/policy.h"
#include "domain/transitions.h"
#include "domain/worker_record.h"
#include "engine/backend_info.h"
#include "engine/backoff.h"
#include "engine/timer_index.h"
#include "engine/worker_spec.h"
#include "metrics/metrics_registry.h"
#include "plugin_host/provider_instance.h"
#include "store/event_store.h"

namespace boost::asio {
class io_context;
}

namespace ephemera::engine {

struct EngineOptions {
  Ownership owner;
  metrics::MetricsRegistry* metrics = nullptr;  // optional; outlives the engine
  domain::WorkerPolicy site_default;
  domain::PolicyLimits limits;
  std::chrono::milliseconds call_deadline{std::chrono::seconds(30)};
  std::chrono::milliseconds stop_grace{std::chrono::seconds(10)};
  BackoffPolicy backoff;
  size_t list_page_size = 500;
  // Called on the loop after every store commit: its status, and the last
  // sequence number written (0 on failure). The daemon wakes event followers
  // and tracks store writability (readiness) with it.
  std::function<void(const Status&, uint64_t last_seq)> on_commit;
  // Called on the loop when a worker's next due time is scheduled: a real-time
  // driver re-arms its timer if this is earlier than it planned to wake, so
  // due work (a TTL of 0, an expiry) runs at its time, not at the next tick.
  std::function<void(WallTime due)> on_scheduled;
};

struct ProviderConfig {
  std::string name;
  domain::PolicyOverrides policy;  // the provider layer
  bool orphans_report_only = false;
};

struct CreateRequest {
  std::string provider;
  std::string spec_json;  // the user's spec (image, command, env, labels, ...)
  domain::PolicyOverrides policy;
  // Empty: a fresh random id. Set (derived from an idempotency key): a
  // second create with the same id is ALREADY_EXISTS, never a second worker.
  std::string worker_id;
};

struct OrphanReport {
  std::string provider;
  std::string resource_id;
  std::string name;
  std::string worker_id;
  bool deleted = false;
};

struct EngineStats {
  uint64_t gc_cycles = 0;
  uint64_t destroys_confirmed = 0;
  uint64_t destroy_retries = 0;
  uint64_t permanent_errors = 0;
  uint64_t orphans_detected = 0;
  uint64_t orphans_deleted = 0;
  uint64_t creates_retried = 0;
  uint64_t adopted = 0;
};

// What the engine keeps of a record in memory: everything but the redacted
// spec once the worker has left Created — only a create after a restart reads
// it, and it stays in the store. (At 100,000 workers a spec is most of a
// record.) Tests apply it to stored records before comparing.
void trim_for_memory(domain::WorkerRecord& record);

class Engine {
 public:
  template <class T>
  using Done = std::function<void(Result<T>)>;

  Engine(boost::asio::io_context& io, store::EventStore& store, const Clock& clock, EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The hooks to open a provider's instance with: watch pushes and reconcile
  // requests are posted to the engine's loop. Call before add_provider.
  plugin_host::HostHooks hooks_for(const std::string& provider);
  // Registers a provider before start(). A null instance is a provider whose
  // plugin could not be opened: degraded, its workers wait for it.
  void add_provider(ProviderConfig config, std::unique_ptr<plugin_host::ProviderInstance> instance);

  // Loads the projection, schedules every deadline, starts watches and
  // recovers each provider (reconcile: adopt, mark lost, clean orphans).
  Status start();
  // SIGHUP: new policy layers. They apply to workers created from now on;
  // existing workers keep the policy frozen into their WorkerCreated.
  void set_policies(domain::WorkerPolicy site_default, domain::PolicyLimits limits,
                    const std::map<std::string, domain::PolicyOverrides>& providers);
  // Stops watches; workers keep running.
  void stop();

  void create(CreateRequest request, Done<domain::WorkerRecord> done);
  // kApiReady / kApiRunning / kApiIdle / kApiComplete.
  void report(const std::string& worker_id, domain::InputKind kind, Done<domain::WorkerRecord> done);
  void remove(const std::string& worker_id, std::chrono::milliseconds grace, bool force,
              Done<domain::WorkerRecord> done);

  // One GC cycle: acts on every due deadline and retry. O(due work).
  size_t run_due();
  // Lists the provider and feeds what it shows (and reports what is gone).
  void reconcile(const std::string& provider, Done<size_t> done);
  // The hardened spec the provider would submit for `spec_json` (no worker
  // is created; id and name are placeholders).
  void render(const std::string& provider, const std::string& spec_json, Done<std::string> done);
  // Orphans: this instance's resources nothing tracks, older than the grace.
  void scan_orphans(const std::string& provider, bool dry_run, Done<std::vector<OrphanReport>> done);

  const domain::WorkerRecord* find(const std::string& worker_id) const;
  std::vector<domain::WorkerRecord> workers() const;  // a copy of every record: tests and small tools
  // Calls `fn` on every record without copying (the API's lists and gauges:
  // 100,000 deep copies per request would stall the loop).
  void for_each_worker(const std::function<void(const domain::WorkerRecord&)>& fn) const;
  size_t worker_count() const { return records_.size(); }
  // A worker's labels as its resource carries them: ownership + user labels
  // (records keep only the user's).
  std::map<std::string, std::string> labels_of(const domain::WorkerRecord& r) const;
  const EngineStats& stats() const { return stats_; }
  // Calls `fn` on every provider's open instance (e.g. for health and gauges).
  void for_each_provider(const std::function<void(const std::string&, plugin_host::ProviderInstance*)>& fn) const;
  store::EventStore& event_store() { return store_; }
  std::optional<WallTime> next_due() const { return timers_.earliest(); }
  // Replaces EngineOptions::on_scheduled (the scheduler registers itself).
  void set_on_scheduled(std::function<void(WallTime)> fn) { options_.on_scheduled = std::move(fn); }
  // Calls in flight (provider calls + pending commits): 0 when quiescent.
  size_t busy() const { return in_flight_; }

 private:
  struct Provider;
  struct Pending {
    domain::Input input;
    Done<domain::WorkerRecord> done;
  };
  // What a provider call is for; also what a retry repeats.
  enum class Action : uint8_t { kCreate, kLookup, kStop, kDestroy };
  struct Retry {
    Action action = Action::kDestroy;
    uint32_t attempt = 0;
    WallTime at;
  };

  Provider* provider_for(const std::string& name);
  Provider* provider_of(const domain::WorkerRecord& r);
  void feed(const std::string& worker_id, domain::Input input, Done<domain::WorkerRecord> done);
  void process_next(const std::string& worker_id);
  void commit(std::vector<domain::Event> events, std::function<void(Result<store::Appended>)> then);
  void absorb(const store::Appended& appended);
  void reschedule(const std::string& worker_id);
  void count(const char* family, metrics::Labels labels, double by = 1);
  void run_effect(const std::string& worker_id, domain::SideEffect effect);
  void run_action(const std::string& worker_id, Action action);

  // engine_effects.cpp
  void provider_create(const std::string& worker_id);
  void provider_stop(const std::string& worker_id);
  void provider_destroy(const std::string& worker_id);
  void provider_lookup(const std::string& worker_id);
  void schedule_retry(const std::string& worker_id, Action action, const Status& error);
  void effect_done(const std::string& worker_id);
  void call(Provider& p, plugin_host::ProviderOp op, plugin_host::OpArgs args,
            std::function<void(plugin_host::CallOutcome)> then);
  std::string reference(const domain::WorkerRecord& r) const;

  // engine_reconcile.cpp
  void list_all(Provider& p, std::function<void(Result<std::vector<BackendInfo>>)> done);
  void on_pushed(const std::string& provider, const std::string& info_json);
  void apply_listing(Provider& p, const std::vector<BackendInfo>& items, uint64_t listed_at_seq, bool recovery);
  void recover(Provider& p);
  void forget_unlisted(Provider& p, const std::vector<BackendInfo>& listed);
  void destroy_orphan(Provider& p, const std::string& key, OrphanReport report, const std::string& ref_json,
                      std::shared_ptr<std::vector<OrphanReport>> reports, std::function<void()> finish_one);

  boost::asio::io_context& io_;
  store::EventStore& store_;
  const Clock& clock_;
  EngineOptions options_;
  std::map<std::string, std::unique_ptr<Provider>> providers_;
  std::unordered_map<std::string, domain::WorkerRecord> records_;
  std::unordered_map<std::string, std::deque<Pending>> queues_;  // per worker; front is in progress
  std::unordered_map<std::string, std::string> full_specs_;      // secrets included: memory only
  std::unordered_map<std::string, Retry> retries_;
  std::unordered_map<std::string, int> effects_in_flight_;  // per worker
  TimerIndex timers_;
  EngineStats stats_;
  std::mt19937_64 rng_{std::random_device{}()};
  size_t in_flight_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // guards late posts
};

}  // namespace ephemera::engine
