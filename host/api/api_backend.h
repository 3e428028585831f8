// ApiBackend: what the admin API needs from the rest of the daemon. The HTTP
// server (admin_api.*) depends only on this; the daemon implements it over
// the engine (engine_api_backend.*), tests with a fake. Keeps Beast out of
// the engine and the engine out of the HTTP code.
//
// Every method is called on the daemon's io_context thread; callbacks run
// there too.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/policy.h"
#include "domain/transitions.h"
#include "domain/worker_record.h"
#include "store/event_store.h"

namespace ephemera::api {

template <class T>
using Done = std::function<void(Result<T>)>;

struct CreateWorkerRequest {
  std::string provider;
  std::string spec_json;  // JSON object
  domain::PolicyOverrides policy;
  std::string idempotency_key;  // empty: none
};

// What create_worker answers: the worker, and whether an earlier request with
// the same idempotency key made it (the API answers 200 instead of 201).
struct CreatedWorker {
  domain::WorkerRecord worker;
  bool replayed = false;
};

struct WorkerFilter {
  std::optional<domain::WorkerState> state;
  std::optional<std::string> provider;
  std::map<std::string, std::string> labels;  // every one must match
  bool include_cleaned_up = false;
  size_t limit = 100;
  std::string after;  // pagination cursor: worker id to continue after
};

struct WorkerPage {
  std::vector<domain::WorkerRecord> items;
  std::string next;  // empty on the last page
};

struct OrphanView {
  std::string provider, resource_id, name, worker_id;
  bool deleted = false;
};

struct ProviderView {
  std::string name;
  std::string plugin;  // "mock 0.1.0 (ABI 0.1) from /usr/lib/..."
  bool open = false;   // the plugin instance exists
  bool healthy = false;
  std::string detail;
  std::string capabilities_json;
  size_t stuck_calls = 0;
};

struct Readiness {
  bool ready = false;
  std::string reason;  // why not
};

class ApiBackend {
 public:
  virtual ~ApiBackend() = default;
  // A retried request with the same idempotency key answers the first
  // request's worker, never a second one.
  virtual void create_worker(CreateWorkerRequest request, Done<CreatedWorker> done) = 0;
  virtual Result<domain::WorkerRecord> get_worker(const std::string& id) = 0;
  virtual WorkerPage list_workers(const WorkerFilter& filter) = 0;
  // kApiReady / kApiRunning / kApiIdle / kApiComplete
  virtual void report(const std::string& id, domain::InputKind kind, Done<domain::WorkerRecord> done) = 0;
  virtual void remove(const std::string& id, std::chrono::milliseconds grace, bool force,
                      Done<domain::WorkerRecord> done) = 0;
  virtual void run_gc(Done<size_t> done) = 0;
  virtual void scan_orphans(const std::optional<std::string>& provider, bool dry_run,
                            Done<std::vector<OrphanView>> done) = 0;
  virtual Result<store::EventPage> read_events(uint64_t after, size_t limit,
                                               const std::optional<std::string>& worker) = 0;
  // Calls `wake` once an event with seq > after exists (or at once if one does).
  virtual void on_event_after(uint64_t after, std::function<void()> wake) = 0;
  virtual std::vector<ProviderView> providers() = 0;
  virtual void render(const std::string& provider, std::string spec_json, Done<std::string> done) = 0;
  virtual Readiness readiness() = 0;
  virtual std::string metrics_text() = 0;
};

}  // namespace ephemera::api
