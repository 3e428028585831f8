// CallExecutor: deadlines, serialization and stuck-call accounting. Calls
// block on latches the test releases, so nothing depends on timing luck:
// the only waits are for the executor's own deadlines.
#include "plugin_host/call_executor.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <latch>
#include <thread>

#include "plugin_host/host_api.h"

using namespace ephemera;
using namespace ephemera::plugin_host;
using namespace std::chrono_literals;

namespace {

CallOutcome ok(std::string payload = "{}") { return CallOutcome{Status::ok(), std::move(payload)}; }

ExecutorLimits thread_safe(size_t concurrency, size_t stuck_limit = 8) {
  return ExecutorLimits{concurrency, false, stuck_limit};
}

}  // namespace

TEST_CASE("a call that finishes in time delivers its own outcome") {
  CallExecutor ex("t", thread_safe(2));
  CallOutcome out = ex.run("get", 5s, [](eph_call&) { return ok(R"({"a":1})"); });
  CHECK(out.status.is_ok());
  CHECK(out.payload == R"({"a":1})");
  CHECK(ex.stuck_calls() == 0);
}

TEST_CASE("an overrunning call is answered DEADLINE_EXCEEDED, cancelled and counted stuck") {
  CallExecutor ex("t", thread_safe(1));
  std::latch release(1);
  std::atomic<bool> saw_cancel{false};
  CallOutcome out = ex.run("create", 50ms, [&](eph_call& call) {
    release.wait();
    saw_cancel = call.cancelled.load();
    return ok();
  });
  CHECK(out.status.code() == StatusCode::kDeadlineExceeded);
  CHECK(ex.stuck_calls() == 1);
  CHECK(ex.stuck_calls_total() == 1);

  // A thread-safe provider keeps its capacity: a replacement thread serves this.
  CallOutcome next = ex.run("get", 5s, [](eph_call&) { return ok(); });
  CHECK(next.status.is_ok());

  release.count_down();
  REQUIRE(ex.drain(5s));
  CHECK(saw_cancel);
  CHECK(ex.stuck_calls() == 0);
}

TEST_CASE("a serialized provider never runs two calls at once, even past a deadline") {
  CallExecutor ex("t", ExecutorLimits{4, true, 8});
  std::latch release(1);
  std::atomic<int> concurrent{0}, max_concurrent{0};
  auto body = [&](eph_call&) {
    int now = ++concurrent;
    max_concurrent = std::max(max_concurrent.load(), now);
    --concurrent;
    return ok();
  };
  CallOutcome stuck = ex.run("create", 30ms, [&](eph_call&) {
    ++concurrent;
    release.wait();
    --concurrent;
    return ok();
  });
  CHECK(stuck.status.code() == StatusCode::kDeadlineExceeded);
  // While the abandoned call still runs, the next one must wait: it times out queued.
  CallOutcome queued = ex.run("get", 30ms, body);
  CHECK(queued.status.code() == StatusCode::kDeadlineExceeded);
  CHECK_THAT(queued.status.message(), Catch::Contains("queued"));
  release.count_down();
  CallOutcome after = ex.run("get", 5s, body);
  CHECK(after.status.is_ok());
  CHECK(max_concurrent == 1);
}

TEST_CASE("concurrency is bounded by max_concurrency") {
  CallExecutor ex("t", thread_safe(3));
  std::atomic<int> running{0}, peak{0};
  std::latch all_started(3);
  std::latch release(1);
  std::vector<std::future<CallOutcome>> results;
  for (int i = 0; i < 6; ++i) {
    auto p = std::make_shared<std::promise<CallOutcome>>();
    results.push_back(p->get_future());
    ex.submit("get", 10s,
              [&](eph_call&) {
                int n = ++running;
                peak = std::max(peak.load(), n);
                if (n <= 3) all_started.count_down();
                release.wait();
                --running;
                return ok();
              },
              [p](CallOutcome o) { p->set_value(std::move(o)); });
  }
  all_started.wait();
  CHECK(ex.in_flight() == 6);
  release.count_down();
  for (auto& f : results) CHECK(f.get().status.is_ok());
  CHECK(peak == 3);
}

TEST_CASE("past the stuck limit the provider answers UNAVAILABLE at once") {
  CallExecutor ex("t", thread_safe(2, /*stuck_limit=*/2));
  std::latch release(1);
  auto hang = [&](eph_call&) {
    release.wait();
    return ok();
  };
  CHECK(ex.run("a", 20ms, hang).status.code() == StatusCode::kDeadlineExceeded);
  CHECK(ex.run("b", 20ms, hang).status.code() == StatusCode::kDeadlineExceeded);
  CallOutcome refused = ex.run("c", 5s, [](eph_call&) { return ok(); });
  CHECK(refused.status.code() == StatusCode::kUnavailable);
  CHECK_THAT(refused.status.message(), Catch::Contains("2 calls stuck"));
  release.count_down();
  REQUIRE(ex.drain(5s));
}

TEST_CASE("drain fails queued calls, answers stuck ones and refuses new ones") {
  CallExecutor ex("t", ExecutorLimits{1, true, 8});
  std::latch started(1), release(1);
  std::promise<CallOutcome> first, second;
  ex.submit("slow", 10s,
            [&](eph_call&) {
              started.count_down();
              release.wait();
              return ok();
            },
            [&](CallOutcome o) { first.set_value(std::move(o)); });
  started.wait();
  ex.submit("queued", 10s, [](eph_call&) { return ok(); },
            [&](CallOutcome o) { second.set_value(std::move(o)); });
  // The running call outlives the drain timeout: it is answered now, so no
  // completion can fire after the owner is gone.
  CHECK_FALSE(ex.drain(20ms));
  CHECK(second.get_future().get().status.code() == StatusCode::kUnavailable);
  CallOutcome abandoned = first.get_future().get();
  CHECK(abandoned.status.code() == StatusCode::kUnavailable);
  CHECK_THAT(abandoned.status.message(), Catch::Contains("shutdown"));
  CHECK(ex.run("late", 1s, [](eph_call&) { return ok(); }).status.code() == StatusCode::kUnavailable);
  release.count_down();
  CHECK(ex.drain(5s));
}
