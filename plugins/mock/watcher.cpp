#include "mock/watcher.h"

#include <utility>

namespace ephemera::mock {

Watcher::Watcher(sdk::Host host, std::chrono::milliseconds interval, WatchScan scan,
                 GoneDocument gone)
    : host_(host), interval_(interval), scan_(std::move(scan)), gone_(std::move(gone)) {}

void Watcher::start() {
  if (thread_.joinable()) return;
  std::optional<WatchView> first = scan_();
  was_down_ = !first;
  last_ = first.value_or(WatchView{});
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void Watcher::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Watcher::run() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    tick();
    lock.lock();
  }
}

void Watcher::tick() {
  std::optional<WatchView> now = scan_();
  if (!now) {
    // A real watch stream breaks while the backend is down; nothing to push.
    was_down_ = true;
    return;
  }
  if (was_down_) {
    was_down_ = false;
    host_.request_reconcile("mock backend reachable again; the watch may have missed changes");
  }
  push_diff(*now);
  last_ = std::move(*now);
}

void Watcher::push_diff(const WatchView& now) {
  for (const auto& [id, info] : now) {
    auto old = last_.find(id);
    if (old == last_.end() || old->second != info) host_.push_status(info);
  }
  for (const auto& [id, info] : last_)
    if (now.find(id) == now.end()) host_.push_status(gone_(info));
}

}  // namespace ephemera::mock
