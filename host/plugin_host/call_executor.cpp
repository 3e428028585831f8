#include "plugin_host/call_executor.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <optional>
#include <mutex>
#include <thread>
#include <vector>

#include "plugin_host/host_api.h"

namespace ephemera::plugin_host {

using Steady = std::chrono::steady_clock;

namespace {

struct Task;
using DeadlineIndex = std::multimap<Steady::time_point, std::shared_ptr<Task>>;

struct Task {
  std::string op;
  CallExecutor::Work work;
  CallExecutor::Done done;
  Steady::time_point deadline;
  eph_call call;
  bool running = false;    // guarded by Shared::mu
  bool abandoned = false;  // guarded by Shared::mu
  std::atomic<bool> completed{false};
  std::optional<DeadlineIndex::iterator> deadline_entry;  // guarded by Shared::mu

  // True for the one caller that gets to deliver the outcome.
  bool claim() { return !completed.exchange(true); }
};

}  // namespace

struct CallExecutor::Shared : std::enable_shared_from_this<Shared> {
  std::string name;
  mutable std::mutex mu;
  std::condition_variable work_cv;   // queue or state changed
  std::condition_variable clock_cv;  // deadlines changed
  std::condition_variable exit_cv;   // a thread finished
  std::deque<std::shared_ptr<Task>> queue;
  DeadlineIndex deadlines;
  ExecutorLimits limits;
  size_t threads = 0;   // pool threads alive (stuck ones included)
  size_t running = 0;   // calls inside the plugin now
  size_t stuck = 0;     // abandoned calls still inside the plugin
  size_t stuck_total = 0;
  bool watchdog_alive = false;
  bool stopping = false;

  // Threads wanted: capacity, plus one per stuck thread when calls may overlap.
  size_t wanted_threads() const {
    if (limits.serialized) return 1;
    return limits.max_concurrency + stuck;
  }

  void spawn_threads_locked() {
    while (!stopping && threads < wanted_threads()) {
      ++threads;
      std::thread([self = shared_from_this()] { self->worker_loop(); }).detach();
    }
    if (!watchdog_alive && !stopping) {
      watchdog_alive = true;
      std::thread([self = shared_from_this()] { self->watchdog_loop(); }).detach();
    }
  }

  void forget_deadline_locked(Task& task) {
    if (task.deadline_entry) {
      deadlines.erase(*task.deadline_entry);
      task.deadline_entry.reset();
    }
  }

  bool may_start_locked() const {
    // A serialized plugin never sees a second call while an abandoned one runs.
    if (limits.serialized && running > 0) return false;
    return running - stuck < (limits.serialized ? 1 : limits.max_concurrency);
  }

  void worker_loop() {
    std::unique_lock lock(mu);
    for (;;) {
      work_cv.wait(lock, [&] {
        return stopping || threads > wanted_threads() || (!queue.empty() && may_start_locked());
      });
      if (threads > wanted_threads() || (stopping && queue.empty())) break;
      if (queue.empty() || !may_start_locked()) continue;
      std::shared_ptr<Task> task = std::move(queue.front());
      queue.pop_front();
      if (task->completed.load()) continue;  // its deadline passed while queued
      task->running = true;
      ++running;
      lock.unlock();
      CallOutcome outcome = task->work(task->call);
      lock.lock();
      --running;
      task->running = false;
      if (task->abandoned) --stuck;
      work_cv.notify_all();
      if (task->claim()) {
        forget_deadline_locked(*task);
        lock.unlock();
        task->done(std::move(outcome));
        lock.lock();
      } else if (task->abandoned) {
        spdlog::warn("provider {}: abandoned {} call returned late: {}", name, task->op,
                     outcome.status.to_string());
      }
    }
    --threads;
    exit_cv.notify_all();
  }

  // Fires deadlines: completes overdue calls DEADLINE_EXCEEDED.
  void watchdog_loop() {
    std::unique_lock lock(mu);
    while (!(stopping && deadlines.empty())) {
      if (deadlines.empty()) {
        clock_cv.wait(lock);
        continue;
      }
      auto first = deadlines.begin();
      // A copy: the entry may be erased (call finished) while we wait.
      const Steady::time_point next = first->first;
      if (Steady::now() < next) {
        clock_cv.wait_until(lock, next);
        continue;
      }
      std::shared_ptr<Task> task = first->second;
      forget_deadline_locked(*task);
      if (!task->claim()) continue;  // finished in time
      task->call.cancelled = true;
      std::string where = task->running ? "running" : "queued";
      if (task->running) {
        task->abandoned = true;
        ++stuck;
        ++stuck_total;
        spawn_threads_locked();
      }
      lock.unlock();
      spdlog::warn("provider {}: {} call overran its deadline while {}", name, task->op, where);
      task->done(CallOutcome{Status(StatusCode::kDeadlineExceeded,
                                    task->op + " did not finish within its deadline (" + where + ")"),
                             {}});
      lock.lock();
    }
    watchdog_alive = false;
    exit_cv.notify_all();
  }
};

CallExecutor::CallExecutor(std::string provider_name, ExecutorLimits limits)
    : shared_(std::make_shared<Shared>()) {
  shared_->name = std::move(provider_name);
  set_limits(limits);
}

CallExecutor::~CallExecutor() { drain(drain_timeout_); }

void CallExecutor::set_limits(ExecutorLimits limits) {
  if (limits.max_concurrency == 0) limits.max_concurrency = 1;
  if (limits.serialized) limits.max_concurrency = 1;
  std::lock_guard lock(shared_->mu);
  shared_->limits = limits;
  shared_->spawn_threads_locked();
  shared_->work_cv.notify_all();
}

void CallExecutor::set_drain_timeout(std::chrono::milliseconds timeout) { drain_timeout_ = timeout; }

void CallExecutor::submit(std::string op, std::chrono::milliseconds deadline, Work work, Done done) {
  auto task = std::make_shared<Task>();
  task->op = std::move(op);
  task->work = std::move(work);
  task->done = std::move(done);
  task->deadline = Steady::now() + std::max(deadline, std::chrono::milliseconds(1));
  std::unique_lock lock(shared_->mu);
  std::optional<Status> refusal;
  if (shared_->stopping) {
    refusal = Status(StatusCode::kUnavailable, "provider " + shared_->name + " is shutting down");
  } else if (shared_->stuck >= shared_->limits.stuck_limit) {
    refusal = Status(StatusCode::kUnavailable,
                     "provider " + shared_->name + " is unhealthy: " +
                         std::to_string(shared_->stuck) + " calls stuck past their deadline");
  }
  if (refusal) {
    lock.unlock();
    task->completed = true;
    task->done(CallOutcome{std::move(*refusal), {}});
    return;
  }
  task->deadline_entry = shared_->deadlines.emplace(task->deadline, task);
  shared_->queue.push_back(std::move(task));
  shared_->work_cv.notify_one();
  shared_->clock_cv.notify_one();
}

CallOutcome CallExecutor::run(std::string op, std::chrono::milliseconds deadline, Work work) {
  auto promise = std::make_shared<std::promise<CallOutcome>>();
  auto future = promise->get_future();
  submit(std::move(op), deadline, std::move(work),
         [promise](CallOutcome outcome) { promise->set_value(std::move(outcome)); });
  return future.get();
}

bool CallExecutor::drain(std::chrono::milliseconds timeout) {
  std::deque<std::shared_ptr<Task>> refused;
  std::unique_lock lock(shared_->mu);
  shared_->stopping = true;
  refused.swap(shared_->queue);
  for (auto& [when, task] : shared_->deadlines) task->call.cancelled = true;
  shared_->work_cv.notify_all();
  shared_->clock_cv.notify_all();
  lock.unlock();
  for (auto& task : refused) {
    if (task->claim()) {
      lock.lock();
      shared_->forget_deadline_locked(*task);
      lock.unlock();
      task->done(CallOutcome{Status(StatusCode::kUnavailable, "host is shutting down"), {}});
    }
  }
  lock.lock();
  bool idle = shared_->exit_cv.wait_for(lock, timeout, [&] { return shared_->running == 0; });
  if (idle) return true;
  spdlog::error("provider {}: {} calls still running after {} ms; leaving them behind",
                shared_->name, shared_->running, timeout.count());
  // Answer the calls left behind now, so no `done` fires after the owner is gone.
  std::vector<std::shared_ptr<Task>> left;
  for (auto& [when, task] : shared_->deadlines) left.push_back(task);
  for (auto& task : left) shared_->forget_deadline_locked(*task);
  lock.unlock();
  for (auto& task : left) {
    if (task->claim()) {
      task->done(CallOutcome{Status(StatusCode::kUnavailable, "abandoned at shutdown"), {}});
    }
  }
  return false;
}

size_t CallExecutor::stuck_calls() const {
  std::lock_guard lock(shared_->mu);
  return shared_->stuck;
}

size_t CallExecutor::stuck_calls_total() const {
  std::lock_guard lock(shared_->mu);
  return shared_->stuck_total;
}

size_t CallExecutor::in_flight() const {
  std::lock_guard lock(shared_->mu);
  return shared_->queue.size() + shared_->running;
}

}  // namespace ephemera::plugin_host
