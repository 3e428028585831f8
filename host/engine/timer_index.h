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
  // (due, worker id) in due order. The id points at by_worker_'s key (nodes
  // of an unordered_map never move), so each id is stored once: at 100,000
  // workers a second copy would be a tenth of their memory.
  struct Entry {
    WallTime at;
    const std::string* worker_id;
  };
  struct ByTime {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.at != b.at ? a.at < b.at : *a.worker_id < *b.worker_id;
    }
  };
  std::set<Entry, ByTime> by_time_;
  std::unordered_map<std::string, WallTime> by_worker_;
};

}  // namespace ephemera::engine
