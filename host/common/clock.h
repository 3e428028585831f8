// Clock: the seam every timer goes through. Persisted instants are wall-clock
// UTC; scheduling uses the monotonic clock. Tests drive a FakeClock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace ephemera {

using WallTime = std::chrono::system_clock::time_point;
using MonoTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual WallTime wall_now() const = 0;
  virtual MonoTime mono_now() const = 0;

  // Wall clock as ms since the Unix epoch (the ABI's callback_now_ms).
  int64_t wall_now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(wall_now().time_since_epoch())
        .count();
  }
};

class SystemClock final : public Clock {
 public:
  WallTime wall_now() const override { return std::chrono::system_clock::now(); }
  MonoTime mono_now() const override { return std::chrono::steady_clock::now(); }
  static const SystemClock& instance() {
    static const SystemClock clock;
    return clock;
  }
};

// A clock that moves only when told to; both faces advance together.
// Thread-safe: plugins read it from their own threads.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime start = WallTime(std::chrono::milliseconds(1'760'000'000'000)))
      : wall_ms_(ms_since_epoch(start)) {}

  WallTime wall_now() const override { return WallTime(std::chrono::milliseconds(wall_ms_.load())); }
  MonoTime mono_now() const override { return MonoTime(std::chrono::milliseconds(mono_ms_.load())); }

  void advance(std::chrono::milliseconds by) {
    wall_ms_ += by.count();
    mono_ms_ += by.count();
  }
  // A wall-clock jump (NTP step): the monotonic face does not move.
  void jump_wall(std::chrono::milliseconds by) { wall_ms_ += by.count(); }

 private:
  static int64_t ms_since_epoch(WallTime t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  }
  std::atomic<int64_t> wall_ms_;
  std::atomic<int64_t> mono_ms_{1'000'000};
};

}  // namespace ephemera
