#include <catch2/catch.hpp>

#include "engine/timer_index.h"

using namespace ephemera;
using namespace std::chrono_literals;

namespace {
const WallTime kT0{std::chrono::milliseconds(1'700'000'000'000)};
}

TEST_CASE("timer index: due entries come out earliest first, ties by worker id") {
  engine::TimerIndex t;
  t.schedule("w-b", kT0 + 2s);
  t.schedule("w-c", kT0 + 1s);
  t.schedule("w-a", kT0 + 2s);
  t.schedule("w-late", kT0 + 1h);
  CHECK(t.earliest() == kT0 + 1s);
  CHECK(t.take_due(kT0).empty());
  CHECK(t.take_due(kT0 + 2s) == std::vector<std::string>{"w-c", "w-a", "w-b"});
  CHECK(t.size() == 1);
  CHECK(t.earliest() == kT0 + 1h);
}

TEST_CASE("timer index: rescheduling replaces the one entry; cancel removes it") {
  engine::TimerIndex t;
  t.schedule("w-1", kT0 + 5s);
  t.schedule("w-1", kT0 + 1s);  // earlier
  t.schedule("w-1", kT0 + 1s);  // the same: no-op
  CHECK(t.size() == 1);
  CHECK(t.earliest() == kT0 + 1s);
  t.schedule("w-1", kT0 + 9s);  // later
  CHECK(t.take_due(kT0 + 5s).empty());
  t.schedule("w-2", kT0 + 3s);
  t.cancel("w-1");
  t.cancel("w-unknown");
  CHECK(t.size() == 1);
  CHECK(t.take_due(kT0 + 1h) == std::vector<std::string>{"w-2"});
  CHECK_FALSE(t.earliest().has_value());
}

TEST_CASE("timer index: many workers, entries stay consistent across map growth") {
  engine::TimerIndex t;
  for (int i = 0; i < 5000; ++i) t.schedule("w-" + std::to_string(i), kT0 + std::chrono::milliseconds(i % 97));
  for (int i = 0; i < 5000; i += 2) t.cancel("w-" + std::to_string(i));
  auto due = t.take_due(kT0 + 1s);
  CHECK(due.size() == 2500);
  CHECK(t.size() == 0);
}
