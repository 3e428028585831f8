// The engine's view of one provider (private to the engine's .cpp files).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "engine/engine.h"

namespace ephemera::engine {

struct Engine::Provider {
  ProviderConfig config;
  std::unique_ptr<plugin_host::ProviderInstance> instance;  // null: degraded
  bool watching = false;
  bool recovered = false;
  // When this host first saw each untracked resource: an orphan's age counts
  // from max(backend creation, first seen), so a skewed backend clock cannot
  // make a fresh resource look old.
  std::unordered_map<std::string, WallTime> first_seen;
  // Untracked resources already recorded as OrphanWorkerDetected: one event
  // per resource, however many scans see it while its destroy is in flight
  // (or forever, in report-only mode). Pruned to what the last scan listed.
  std::unordered_set<std::string> orphans_recorded;
  std::unordered_set<std::string> orphans_destroying;  // a destroy call is in flight
};

}  // namespace ephemera::engine
