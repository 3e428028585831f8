// The watch: a thread that re-reads the state directory every interval (real
// time — the only real-time element of the mock), computes every resource's
// state on the host clock and pushes what changed since the last look:
// started, exited, created or removed — by this plugin or by anyone writing
// the directory (a test planting an orphan).
//
// Thread-safety: start()/stop() from one thread at a time; the scan function
// is called on the watch thread.
#pragma once

#include <ephemera/provider.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace ephemera::mock {

// resource_id -> serialized worker info; nullopt when the backend is down.
// Gone entries need the last info, so it keeps the full document.
using WatchView = std::map<std::string, std::string>;
using WatchScan = std::function<std::optional<WatchView>()>;
// Builds the "gone" push from the last known info of a removed resource.
using GoneDocument = std::function<std::string(const std::string& last_info)>;

class Watcher {
 public:
  Watcher(sdk::Host host, std::chrono::milliseconds interval, WatchScan scan, GoneDocument gone);
  ~Watcher() { stop(); }
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Takes the first view (pushed as nothing: the host lists separately) and
  // starts the thread. A second start() while running does nothing.
  void start();
  // Joins the thread; no push happens after it returns.
  void stop();

 private:
  void run();
  void tick();
  void push_diff(const WatchView& now);

  const sdk::Host host_;
  const std::chrono::milliseconds interval_;
  const WatchScan scan_;
  const GoneDocument gone_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  // Watch-thread state (before start(): the caller's).
  WatchView last_;
  bool was_down_ = false;
};

}  // namespace ephemera::mock
