#include "domain/deadlines.h"

#include <catch2/catch.hpp>

#include "domain/reducer.h"

using namespace ephemera;
using namespace ephemera::domain;
using namespace std::chrono_literals;

namespace {

const WallTime kT0 = WallTime(std::chrono::hours(500000));

struct Life {
  WorkerRecord r;
  void feed(InputKind k, WallTime at, std::optional<int32_t> code = std::nullopt) {
    Input in{k};
    in.exit_code = code;
    Decision d = decide(r, in, at);
    for (auto& e : d.events) r = apply_event(r, e);
  }
};

Life born(WorkerPolicy p) {
  CreationIntent intent;
  intent.policy = p;
  return Life{apply_event({}, worker_created("w", intent, kT0))};
}

}  // namespace

TEST_CASE("idle timeout counts from entering Ready/Idle, not from the last report") {
  WorkerPolicy p;
  p.idle_timeout = 10min;
  Life l = born(p);
  l.feed(InputKind::kCreateOk, kT0);
  l.feed(InputKind::kBackendRunning, kT0 + 1min);
  // Reports of the same state keep arriving (heartbeats)...
  for (int i = 2; i < 9; ++i) l.feed(InputKind::kApiReady, kT0 + std::chrono::minutes(i));
  auto d = next_deadline(l.r);
  REQUIRE(d);
  // ...and the deadline has not moved.
  CHECK(d->input == InputKind::kIdleTimeout);
  CHECK(d->at == kT0 + 11min);
}

TEST_CASE("max lifetime binds a busy (Running) worker") {
  WorkerPolicy p;
  p.max_lifetime = 1h;
  Life l = born(p);
  l.feed(InputKind::kCreateOk, kT0);
  l.feed(InputKind::kApiReady, kT0);
  l.feed(InputKind::kApiRunning, kT0 + 1min);
  auto d = next_deadline(l.r);
  REQUIRE(d);
  CHECK(d->input == InputKind::kMaxLifetime);
  CHECK(d->at == kT0 + 1h);
}

TEST_CASE("cleanup is due at TTL after completion, at once when TTL is unset, retention after failure") {
  WorkerPolicy p;
  p.ttl_after_completion = 5min;
  p.failed_retention = 1h;
  Life done = born(p);
  done.feed(InputKind::kCreateOk, kT0);
  done.feed(InputKind::kBackendExited, kT0 + 2min, 0);
  CHECK(next_deadline(done.r) == Deadline{kT0 + 7min, InputKind::kCleanupDue});

  p.ttl_after_completion.reset();
  Life now = born(p);
  now.feed(InputKind::kCreateOk, kT0);
  now.feed(InputKind::kBackendExited, kT0 + 2min, 0);
  CHECK(next_deadline(now.r) == Deadline{kT0 + 2min, InputKind::kCleanupDue});

  Life failed = born(p);
  failed.feed(InputKind::kCreateOk, kT0);
  failed.feed(InputKind::kBackendExited, kT0 + 2min, 1);
  CHECK(next_deadline(failed.r) == Deadline{kT0 + 62min, InputKind::kCleanupDue});

  failed.feed(InputKind::kCleanupConfirmed, kT0 + 62min);
  CHECK_FALSE(next_deadline(failed.r));
}

TEST_CASE("a stop that does not take effect is escalated after grace + margin") {
  Life l = born(WorkerPolicy{});
  l.feed(InputKind::kCreateOk, kT0);
  Input del{InputKind::kApiDelete};
  del.grace = 20s;
  Decision d = decide(l.r, del, kT0 + 1min);
  for (auto& e : d.events) l.r = apply_event(l.r, e);
  CHECK(next_deadline(l.r) == Deadline{kT0 + 1min + 20s + kStopEscalationMargin, InputKind::kStopOverdue});
}
