// The engine's view of one provider (private to the engine's .cpp files).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

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
};

}  // namespace ephemera::engine
