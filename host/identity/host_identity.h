// The host instance id: generated once and kept in the store; optionally
// pinned in the config. A pinned id that differs from the stored one refuses
// to start — a copied config or a copied state dir must never make two hosts
// claim the same workers.
#pragma once

#include <optional>
#include <string>

#include "common/status.h"
#include "store/event_store.h"

namespace ephemera::identity {

Result<std::string> load_instance_id(store::EventStore& store, const std::optional<std::string>& pinned);

}  // namespace ephemera::identity
