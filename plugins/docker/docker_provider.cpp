#include "docker/docker_provider.h"

#include <boost/json/serialize.hpp>

namespace ephemera::docker {
namespace {

// An ABI deadline of 0 or less gives no budget at all; treat it as "the
// host did not say" rather than failing every call at once.
constexpr std::chrono::milliseconds kDefaultBudget{60'000};
constexpr std::chrono::milliseconds kMaxMargin{200};

std::string health_document(bool healthy, std::string_view detail) {
  return json::serialize(
      json::object{{"schema", EPH_SCHEMA_VERSION}, {"healthy", healthy}, {"detail", detail}});
}

sdk::Reply reply_of(Result<std::string>&& r) {
  return r.ok() ? sdk::Reply::ok(std::move(r.value())) : to_reply(r.error());
}

}  // namespace

sdk::Reply to_reply(const Error& error) {
  sdk::Reply reply = sdk::Reply::error(error.status, error.message, error.retry_after_ms);
  if (!error.pointer.empty())
    reply.payload = json::serialize(json::object{{"schema", EPH_SCHEMA_VERSION}, {"pointer", error.pointer}});
  return reply;
}

CallLimits limits_of(const sdk::Call& call) {
  std::chrono::milliseconds budget = call.deadline().count() > 0 ? call.deadline() : kDefaultBudget;
  budget -= std::min(kMaxMargin, budget / 10);
  return CallLimits::within(budget, [&call] { return call.cancelled(); });
}

sdk::Reply DockerProvider::validate_config(std::string_view config_json) {
  Result<DockerConfig> config = parse_config(config_json);
  return config.ok() ? sdk::Reply::ok() : to_reply(config.error());
}

sdk::Reply DockerProvider::open(sdk::Host host, std::string_view config_json,
                                std::unique_ptr<DockerProvider>& out) {
  Result<DockerConfig> config = parse_config(config_json);
  if (!config.ok()) return to_reply(config.error());
  out = std::make_unique<DockerProvider>(host, std::move(config.value()));
  return sdk::Reply::ok();
}

DockerProvider::DockerProvider(sdk::Host host, DockerConfig config)
    : host_(host), config_(std::move(config)), client_(config_) {
  host_.info("docker: provider for " + config_.endpoint.describe() + ", network_mode " +
             config_.network_mode);
}

DockerProvider::~DockerProvider() { watch_stop(); }

sdk::Reply DockerProvider::capabilities() {
  json::object doc{{"schema", EPH_SCHEMA_VERSION}, {"thread_safe", true},
                   {"max_concurrency", 8},         {"stop_keeps_resource", true},
                   {"watch", true},                {"workloads", json::array{"container"}}};
  return sdk::Reply::ok(json::serialize(doc));
}

Result<WorkerSpec> DockerProvider::hardened_spec(std::string_view spec_json) const {
  Result<json::object> doc = parse_document(spec_json, "spec");
  if (!doc.ok()) return doc.error();
  Result<json::object> hardened = harden_spec(std::move(doc.value()), config_);
  if (!hardened.ok()) return hardened.error();
  return parse_spec(hardened.value());
}

sdk::Reply DockerProvider::create(const sdk::Call& call, std::string_view spec_json) {
  Result<WorkerSpec> spec = hardened_spec(spec_json);
  if (!spec.ok()) return to_reply(spec.error());
  return reply_of(do_create(spec.value(), limits_of(call)));
}

sdk::Reply DockerProvider::get(const sdk::Call& call, std::string_view ref_json) {
  Result<Reference> ref = parse_reference(ref_json);
  if (!ref.ok()) return to_reply(ref.error());
  Result<json::object> info = resolve(ref.value(), limits_of(call));
  return info.ok() ? sdk::Reply::ok(json::serialize(info.value())) : to_reply(info.error());
}

sdk::Reply DockerProvider::list(const sdk::Call& call, std::string_view selector_json) {
  Result<Selector> selector = parse_selector(selector_json, config_.page_size);
  if (!selector.ok()) return to_reply(selector.error());
  return reply_of(do_list(selector.value(), limits_of(call)));
}

sdk::Reply DockerProvider::stop(const sdk::Call& call, std::string_view ref_json,
                                std::chrono::milliseconds grace) {
  Result<Reference> ref = parse_reference(ref_json);
  if (!ref.ok()) return to_reply(ref.error());
  if (grace.count() < 0) return to_reply(invalid_argument("", "docker: negative grace period"));
  const CallLimits limits = limits_of(call);
  Result<json::object> found = resolve(ref.value(), limits);
  if (!found.ok()) return to_reply(found.error());
  const std::string id(found->at("resource_id").get_string());
  if (MaybeError e = stop_container(id, grace, limits)) return to_reply(*e);
  Result<json::object> after = inspect(id, limits);
  return after.ok() ? sdk::Reply::ok(json::serialize(after.value())) : sdk::Reply::ok();
}

sdk::Reply DockerProvider::destroy(const sdk::Call& call, std::string_view ref_json,
                                   std::chrono::milliseconds grace, bool force) {
  Result<Reference> ref = parse_reference(ref_json);
  if (!ref.ok()) return to_reply(ref.error());
  if (grace.count() < 0) return to_reply(invalid_argument("", "docker: negative grace period"));
  return reply_of(do_destroy(ref.value(), grace, force, limits_of(call)));
}

sdk::Reply DockerProvider::harden(const sdk::Call&, std::string_view spec_json) {
  Result<json::object> doc = parse_document(spec_json, "spec");
  if (!doc.ok()) return to_reply(doc.error());
  Result<json::object> hardened = harden_spec(std::move(doc.value()), config_);
  return hardened.ok() ? sdk::Reply::ok(json::serialize(hardened.value())) : to_reply(hardened.error());
}

sdk::Reply DockerProvider::health(const sdk::Call& call) {
  const CallLimits limits = limits_of(call);
  Result<HttpResponse> pong = client_.ping(limits);
  if (pong.ok() && pong->status == 200) {
    Result<ApiVersion> v = client_.version(limits);
    std::string detail = "dockerd at " + config_.endpoint.describe() + ", API " +
                         (v.ok() ? v->str() : "?") + " (daemon " + pong->header("api-version") + ")";
    return sdk::Reply::ok(health_document(true, detail));
  }
  const Error failure = pong.ok() ? http_error(pong.value(), "GET /_ping") : pong.error();
  sdk::Reply reply = to_reply(failure);
  if (reply.status != EPH_DEADLINE_EXCEEDED) reply.status = EPH_UNAVAILABLE;
  reply.payload = health_document(false, failure.message);
  return reply;
}

sdk::Reply DockerProvider::watch_start() {
  std::lock_guard lock(watch_mu_);
  if (!watcher_)
    watcher_ = std::make_unique<EventsWatcher>(host_, client_, config_.instance_id,
                                               config_.watch_backoff_max);
  watcher_->start();
  return sdk::Reply::ok();
}

sdk::Reply DockerProvider::watch_stop() {
  std::lock_guard lock(watch_mu_);
  if (watcher_) watcher_->stop();
  return sdk::Reply::ok();
}

}  // namespace ephemera::docker
