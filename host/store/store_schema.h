// The store's tables, its meta keys, and how its connections are set up.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/event_store.h"
#include "store/sqlite_db.h"

namespace ephemera::store {

// Meta keys the store keeps for itself.
inline constexpr std::string_view kMetaSchemaVersion = "schema_version";
inline constexpr std::string_view kMetaHorizon = "prune_horizon";  // events with seq <= it may be gone

enum class ConnectionRole : uint8_t { kWriter, kReader };

// Opens a connection with the store's pragmas: WAL, synchronous=FULL, a
// busy timeout; the writer creates a missing file and gets the test-only
// page limit. INVALID_ARGUMENT for a file that is not an SQLite database.
Result<std::unique_ptr<SqliteDb>> open_connection(const StoreOptions& options, ConnectionRole role);

// Creates the schema in an empty database, or checks the one there:
// INVALID_ARGUMENT for a newer schema version or a database that is not an
// event store. Call on the writer connection before opening readers.
Status ensure_schema(SqliteDb& db, const StoreOptions& options);

// The meta table. Callers hold the connection's mutex.
Result<std::optional<std::string>> read_meta(SqliteDb& db, std::string_view key);
Status write_meta(SqliteDb& db, std::string_view key, std::string_view value);
// The prune horizon (0 before the first prune).
Result<uint64_t> read_horizon(SqliteDb& db);

// What SQLite must do so a database can never grow past `pages` pages —
// the disk-full simulation (0 = no limit).
Status set_max_page_count(SqliteDb& db, uint64_t pages);

}  // namespace ephemera::store
