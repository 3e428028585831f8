// TimerIndex: one index of due times for every worker (at most one entry per
// worker: its earliest deadline). Taking the due entries costs O(due work),
// not O(tracked workers) — a GC cycle with nothing due is a single lookup.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"

namespace ephemera::engine {

class TimerIndex {
 public:
  // Sets (or replaces) the worker's due time.
  void schedule(const std::string& worker_id, WallTime at);
  void cancel(const std::string& worker_id);
  // Removes and returns every worker due at or before `now`, earliest first.
  std::vector<std::string> take_due(WallTime now);
  std::optional<WallTime> earliest() const;
  size_t size() const { return by_worker_.size(); }

 private:
  std::set<std::pair<WallTime, std::string>> by_time_;
  std::unordered_map<std::string, WallTime> by_worker_;
};

}  // namespace ephemera::engine
