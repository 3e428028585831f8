#include "mock/mock_provider.h"

#include "mock/simulation.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <utility>

namespace ephemera::mock {
namespace {

// Counts the calls in flight for the lifetime of one call.
class InFlight {
 public:
  explicit InFlight(std::atomic<int64_t>& counter) : counter_(counter), count_(++counter) {}
  ~InFlight() { --counter_; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  int64_t count() const { return count_; }

 private:
  std::atomic<int64_t>& counter_;
  const int64_t count_;
};

std::string health_document(bool healthy, std::string_view detail) {
  json::object doc{{"schema", EPH_SCHEMA_VERSION}, {"healthy", healthy}, {"detail", detail}};
  return json::serialize(doc);
}

std::string gone_from(const std::string& last_info) {
  return json::serialize(gone_info(json::parse(last_info).as_object()));
}

}  // namespace

sdk::Reply to_reply(const Error& error) {
  sdk::Reply reply = sdk::Reply::error(error.status, error.message, error.retry_after_ms);
  if (!error.pointer.empty()) {
    json::object doc{{"schema", EPH_SCHEMA_VERSION}, {"pointer", error.pointer}};
    reply.payload = json::serialize(doc);
  }
  return reply;
}

sdk::Reply MockProvider::validate_config(std::string_view config_json) {
  Result<MockConfig> config = parse_config(config_json);
  return config.ok() ? sdk::Reply::ok() : to_reply(config.error());
}

sdk::Reply MockProvider::open(sdk::Host host, std::string_view config_json,
                              std::unique_ptr<MockProvider>& out) {
  Result<MockConfig> config = parse_config(config_json);
  if (!config.ok()) return to_reply(config.error());
  out = std::make_unique<MockProvider>(host, std::move(config.value()));
  return sdk::Reply::ok();
}

MockProvider::MockProvider(sdk::Host host, MockConfig config)
    : host_(host),
      config_(std::move(config)),
      store_(config_.state_dir),
      faults_(config_.faults, store_.faults_file(), host) {
  if (MaybeError e = store_.prepare())
    host_.warn("mock: backend degraded until its state directory is usable: " + e->message);
}

MockProvider::~MockProvider() { watch_stop(); }

sdk::Reply MockProvider::capabilities() {
  json::object doc{{"schema", EPH_SCHEMA_VERSION},
                          {"thread_safe", config_.thread_safe},
                          {"max_concurrency", config_.max_concurrency},
                          {"stop_keeps_resource", true},
                          {"watch", true},
                          {"workloads", json::array{"container"}}};
  return sdk::Reply::ok(json::serialize(doc));
}

MaybeError MockProvider::check_concurrency(int64_t in_flight) const {
  // The host promised to serialize calls; an overlap is its bug, made loud
  // here so engine tests and the conformance kit catch it.
  if (!config_.thread_safe && in_flight > 1)
    return Error{EPH_INTERNAL,
                 "mock: calls overlapped on an instance that declared thread_safe=false", {}, -1};
  if (in_flight > config_.max_concurrency)
    host_.warn("mock: " + std::to_string(in_flight) + " calls in flight, above max_concurrency " +
               std::to_string(config_.max_concurrency));
  return std::nullopt;
}

sdk::Reply MockProvider::run_op(const sdk::Call& call, Op op, const Operation& operation) {
  const auto started = std::chrono::steady_clock::now();
  InFlight scope(in_flight_);
  if (MaybeError e = check_concurrency(scope.count())) return to_reply(*e);
  if (store_.backend_down())
    return to_reply(unavailable("mock: backend down (" + (store_.dir() / "DOWN").string() + " exists)"));
  FaultDecision fault = faults_.next(op);
  if (fault.latency.count() > 0) {
    if (MaybeError e = sleep_within_deadline(call, started, fault.latency)) return to_reply(*e);
  }
  if (fault.failure && !fault.after_success) return to_reply(*fault.failure);
  Result<std::string> result = operation();
  if (fault.failure) return to_reply(*fault.failure);
  return result.ok() ? sdk::Reply::ok(std::move(result.value())) : to_reply(result.error());
}

sdk::Reply MockProvider::create(const sdk::Call& call, std::string_view spec_json) {
  Result<json::object> hardened = parse_and_harden(spec_json);
  if (!hardened.ok()) return to_reply(hardened.error());
  Result<WorkerSpec> spec = parse_spec(hardened.value());
  if (!spec.ok()) return to_reply(spec.error());
  return run_op(call, Op::create, [&] { return do_create(spec.value()); });
}

sdk::Reply MockProvider::get(const sdk::Call& call, std::string_view ref_json) {
  Result<Reference> ref = parse_reference(ref_json);
  if (!ref.ok()) return to_reply(ref.error());
  return run_op(call, Op::get, [&] { return do_get(ref.value()); });
}

sdk::Reply MockProvider::list(const sdk::Call& call, std::string_view selector_json) {
  Result<json::object> doc = parse_document(selector_json, "selector");
  if (!doc.ok()) return to_reply(doc.error());
  Result<Selector> selector = parse_selector(doc.value(), config_.page_size);
  if (!selector.ok()) return to_reply(selector.error());
  return run_op(call, Op::list, [&] { return do_list(selector.value()); });
}

sdk::Reply MockProvider::stop(const sdk::Call& call, std::string_view ref_json,
                              std::chrono::milliseconds grace) {
  Result<Reference> ref = parse_reference(ref_json);
  if (!ref.ok()) return to_reply(ref.error());
  if (grace.count() < 0) return to_reply(invalid_argument("", "mock: negative grace period"));
  return run_op(call, Op::stop, [&] { return do_stop(ref.value(), grace); });
}

sdk::Reply MockProvider::destroy(const sdk::Call& call, std::string_view ref_json,
                                 std::chrono::milliseconds /*grace*/, bool /*force*/) {
  Result<Reference> ref = parse_reference(ref_json);
  if (!ref.ok()) return to_reply(ref.error());
  // The simulated process ends at once either way (see README: destroy).
  return run_op(call, Op::destroy, [&] { return do_destroy(ref.value()); });
}

sdk::Reply MockProvider::harden(const sdk::Call& call, std::string_view spec_json) {
  Result<json::object> hardened = parse_and_harden(spec_json);
  if (!hardened.ok()) return to_reply(hardened.error());
  return run_op(call, Op::harden, [&] { return Result<std::string>(json::serialize(hardened.value())); });
}

sdk::Reply MockProvider::health(const sdk::Call& call) {
  sdk::Reply reply = run_op(call, Op::health, [&] { return do_health(); });
  if (!reply.is_ok() && reply.payload.empty()) reply.payload = health_document(false, reply.message);
  return reply;
}

sdk::Reply MockProvider::watch_start() {
  std::lock_guard lock(watch_mu_);
  if (!watcher_)
    watcher_ = std::make_unique<Watcher>(
        host_, config_.watch_interval, [this] { return watch_scan(); }, &gone_from);
  watcher_->start();
  return sdk::Reply::ok();
}

sdk::Reply MockProvider::watch_stop() {
  std::lock_guard lock(watch_mu_);
  if (watcher_) watcher_->stop();
  return sdk::Reply::ok();
}

std::optional<WatchView> MockProvider::watch_scan() {
  if (store_.backend_down()) return std::nullopt;
  Result<Snapshot> snap = load_all();
  if (!snap.ok()) return std::nullopt;
  const int64_t now_ms = host_.now_ms();  // one instant for the whole view
  WatchView view;
  for (const Resource& r : snap->resources)
    view.emplace(r.resource_id, json::serialize(worker_info(r, observe(r, now_ms))));
  return view;
}

std::string MockProvider::info_json(const Resource& r) const {
  return json::serialize(worker_info(r, observe(r, host_.now_ms())));
}

}  // namespace ephemera::mock
