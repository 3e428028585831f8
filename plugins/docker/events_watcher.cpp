#include "docker/events_watcher.h"

#include <boost/json/serialize.hpp>

namespace ephemera::docker {
namespace {

constexpr std::chrono::milliseconds kBackoffStart{100};

}  // namespace

EventsWatcher::EventsWatcher(sdk::Host host, DockerClient& client, std::string instance_id,
                             std::chrono::milliseconds backoff_max)
    : host_(host),
      client_(client),
      // Scope by instance, not only managed-by: another host's workers on a
      // shared daemon are none of our business (hashicorp/nomad#7792).
      instance_label_(instance_id.empty() ? "ephemera.dev/managed-by=ephemera"
                                          : "ephemera.dev/instance=" + instance_id),
      backoff_max_(std::max(backoff_max, kBackoffStart)) {}

EventsWatcher::~EventsWatcher() { stop(); }

void EventsWatcher::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  control_.reset();
  thread_ = std::thread([this] { run(); });
}

void EventsWatcher::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  control_.request_stop();
  thread_.join();
}

std::string EventsWatcher::target(int64_t since_time_nano) const {
  json::object filters{{"type", json::array{"container"}}, {"label", json::array{instance_label_}}};
  std::string t = "/events?filters=" + url_encode(json::serialize(filters));
  if (since_time_nano > 0) t += "&since=" + since_param(since_time_nano);
  return t;
}

bool EventsWatcher::sleep_unless_stopped(std::chrono::milliseconds how_long) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, how_long, [this] { return stopping_; });
}

void EventsWatcher::run() {
  std::chrono::milliseconds backoff = kBackoffStart;
  while (!control_.stop_requested()) {
    const bool connected = session();
    if (control_.stop_requested()) break;
    // A stream that was up ended (daemon restart): retry soon. One that never
    // came up: back off, doubling up to the cap.
    backoff = connected ? kBackoffStart : std::min(backoff * 2, backoff_max_);
    if (!sleep_unless_stopped(backoff)) break;
  }
}

bool EventsWatcher::session() {
  Result<ApiVersion> v = client_.version(CallLimits::within(std::chrono::seconds(5)));
  if (!v.ok()) {
    host_.log(EPH_LOG_DEBUG, "docker watch: " + v.error().message);
    return false;
  }
  bool connected = false;
  lines_.clear();
  StreamOutcome out = client_.http().stream(
      v->prefix() + target(dedup_.high_water()), control_,
      [&](long status) {
        if (status != 200) return;
        connected = true;
        // Whatever happened while we were not listening is only in a list.
        host_.request_reconcile("docker events stream (re)connected");
      },
      [&](std::string_view chunk) {
        if (connected) lines_.feed(chunk, [&](std::string_view line) { on_line(line); });
      });
  // The stream ended: the daemon that answers next may be another version.
  client_.forget_version();
  if (out.error) host_.log(EPH_LOG_DEBUG, "docker watch: " + out.error->message);
  else if (!out.stopped && out.status != 200)
    host_.warn("docker watch: GET /events answered HTTP " + std::to_string(out.status));
  return connected;
}

void EventsWatcher::on_line(std::string_view line) {
  std::optional<DockerEvent> e = parse_event(line);
  if (!e || !dedup_.accept(*e)) return;
  if (std::optional<json::object> info = mapper_.map(*e)) host_.push_status(json::serialize(*info));
}

}  // namespace ephemera::docker
