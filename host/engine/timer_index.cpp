#include "engine/timer_index.h"

namespace ephemera::engine {

void TimerIndex::schedule(const std::string& worker_id, WallTime at) {
  auto [it, inserted] = by_worker_.try_emplace(worker_id, at);
  if (!inserted) {
    if (it->second == at) return;
    by_time_.erase(Entry{it->second, &it->first});
    it->second = at;
  }
  by_time_.insert(Entry{at, &it->first});
}

void TimerIndex::cancel(const std::string& worker_id) {
  auto it = by_worker_.find(worker_id);
  if (it == by_worker_.end()) return;
  by_time_.erase(Entry{it->second, &it->first});
  by_worker_.erase(it);
}

std::vector<std::string> TimerIndex::take_due(WallTime now) {
  std::vector<std::string> due;
  while (!by_time_.empty() && by_time_.begin()->at <= now) {
    std::string id = *by_time_.begin()->worker_id;  // copied before its map entry goes
    by_time_.erase(by_time_.begin());
    by_worker_.erase(id);
    due.push_back(std::move(id));
  }
  return due;
}

std::optional<WallTime> TimerIndex::earliest() const {
  if (by_time_.empty()) return std::nullopt;
  return by_time_.begin()->at;
}

}  // namespace ephemera::engine
