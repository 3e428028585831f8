// CallExecutor: runs the blocking calls into one provider instance on a
// bounded pool of threads, never on the caller's event loop.
//
// Contract:
//  - Every submitted call gets exactly one `done` callback: with the plugin's
//    outcome, or with DEADLINE_EXCEEDED when its relative deadline passes
//    first (queued or running). `done` runs on a pool or watchdog thread.
//  - A running call that overruns is abandoned: it is marked cancelled (the
//    plugin can see it), counted as stuck until it returns, and for a
//    thread-safe plugin a replacement thread keeps the pool at capacity.
//  - Serialized mode (a plugin that is not thread-safe) runs one call at a
//    time and never starts a second call while an abandoned one still runs.
//  - Past `stuck_limit` stuck calls new calls fail UNAVAILABLE at once.
//  - Work closures own what they need (e.g. the library): threads outlive
//    the executor if a plugin never returns, so nothing here dangles.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"

struct eph_call;

namespace ephemera::plugin_host {

struct CallOutcome {
  Status status;
  std::string payload;  // JSON written by the plugin (validated by the caller)
};

struct ExecutorLimits {
  size_t max_concurrency = 1;
  bool serialized = true;
  size_t stuck_limit = 8;
};

class CallExecutor {
 public:
  using Work = std::function<CallOutcome(eph_call& call)>;
  using Done = std::function<void(CallOutcome outcome)>;

  CallExecutor(std::string provider_name, ExecutorLimits limits);
  // Drains: see drain(). Waits at most `drain_timeout` for running calls.
  ~CallExecutor();
  CallExecutor(const CallExecutor&) = delete;
  CallExecutor& operator=(const CallExecutor&) = delete;

  // Changes concurrency (e.g. once capabilities are known). Thread-safe.
  void set_limits(ExecutorLimits limits);
  void set_drain_timeout(std::chrono::milliseconds timeout);

  void submit(std::string op, std::chrono::milliseconds deadline, Work work, Done done);
  // Blocking convenience over submit().
  CallOutcome run(std::string op, std::chrono::milliseconds deadline, Work work);

  // Stops accepting, fails queued calls UNAVAILABLE, and waits up to
  // `timeout` for running ones. True when nothing is running any more.
  bool drain(std::chrono::milliseconds timeout);

  size_t stuck_calls() const;
  size_t stuck_calls_total() const;  // ever abandoned (a counter for metrics)
  size_t in_flight() const;          // queued + running

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
  std::chrono::milliseconds drain_timeout_{std::chrono::seconds(10)};
};

}  // namespace ephemera::plugin_host
