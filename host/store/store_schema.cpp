#include "store/store_schema.h"

#include <charconv>
#include <string>

namespace ephemera::store {
namespace {

static_assert(kSchemaVersion == 1, "kSchemaV1 creates version 1: a new version needs a migration here");

// Partial indexes keep prune's scans to what it may delete: workers not yet
// tombstoned with a cleanup time, and orphan reports (which belong to no
// worker) by age.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE events(
  seq INTEGER PRIMARY KEY,
  worker_id TEXT NOT NULL,
  type TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  payload TEXT NOT NULL);
CREATE INDEX events_by_worker ON events(worker_id, seq);
CREATE INDEX events_orphans_by_age ON events(at_ms) WHERE type = 'OrphanWorkerDetected';
CREATE TABLE workers(
  worker_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  provider TEXT NOT NULL,
  cleanup TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  record TEXT NOT NULL,
  tombstone INTEGER NOT NULL DEFAULT 0,
  cleaned_up_at_ms INTEGER);
CREATE INDEX workers_prunable ON workers(cleaned_up_at_ms)
  WHERE tombstone = 0 AND cleaned_up_at_ms IS NOT NULL;
INSERT INTO meta(key, value) VALUES('schema_version', '1');
)sql";

constexpr int kBusyTimeoutMs = 5000;
constexpr int kCacheKiB = 64 * 1024;  // per connection

Status not_ours(const StoreOptions& options, std::string_view why) {
  return Status(StatusCode::kInvalidArgument,
                options.path.string() + " is not an ephemera event store (" + std::string(why) + ")");
}

// Reads a one-value query; nullopt when it returns no row.
Result<std::optional<std::string>> query_text(SqliteDb& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.status();
  std::optional<std::string> value;
  auto found = (*stmt)->first([&] { value = (*stmt)->text(0); });
  if (!found) return found.status();
  return value;
}

Status check_version(SqliteDb& db, const StoreOptions& options) {
  auto text = read_meta(db, kMetaSchemaVersion);
  if (!text) return text.status();
  int version = 0;
  const std::string& v = text->value_or("");
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (ec != std::errc() || end != v.data() + v.size() || version < 1) {
    return not_ours(options, "meta schema_version is '" + v + "'");
  }
  if (version > kSchemaVersion) {
    return Status(StatusCode::kInvalidArgument,
                  options.path.string() + ": database schema version " + std::to_string(version) +
                      " is newer than this ephemerad supports (" + std::to_string(kSchemaVersion) +
                      "); use a newer ephemerad or restore a backup");
  }
  return Status::ok();  // version 1 is the only one: nothing to migrate
}

Status check_or_create(SqliteDb& db, const StoreOptions& options) {
  auto meta = query_text(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (!meta) return meta.status();
  if (meta->has_value()) return check_version(db, options);
  auto other = query_text(db, "SELECT name FROM sqlite_master LIMIT 1");
  if (!other) return other.status();
  if (other->has_value()) return not_ours(options, "it has table '" + **other + "' but no meta");
  return db.exec(kSchemaV1);
}

}  // namespace

Result<std::unique_ptr<SqliteDb>> open_connection(const StoreOptions& options, ConnectionRole role) {
  auto mode = role == ConnectionRole::kWriter ? SqliteDb::Mode::kReadWriteCreate : SqliteDb::Mode::kReadWrite;
  auto db = SqliteDb::open(options.path, mode);
  if (!db) return db.status();
  SqliteDb& c = **db;
  // The busy timeout first: setting WAL needs a lock another connection may hold.
  Status s = c.exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
  if (s.is_ok()) {
    auto mode_now = query_text(c, "PRAGMA journal_mode = WAL");
    if (!mode_now) return mode_now.status();
    if (mode_now->value_or("") != "wal") {
      return Status(StatusCode::kUnavailable, options.path.string() + ": cannot use WAL journal mode (got '" +
                                                  mode_now->value_or("") + "')");
    }
    s = c.exec("PRAGMA synchronous = FULL");
    // SQLite's 2 MB default makes the writer re-read index pages from the OS
    // once the log outgrows it.
    if (s.is_ok()) s = c.exec("PRAGMA cache_size = -" + std::to_string(kCacheKiB));
  }
  if (s.is_ok() && role == ConnectionRole::kWriter) s = set_max_page_count(c, options.max_page_count);
  if (!s.is_ok()) return s;
  return db;
}

Status ensure_schema(SqliteDb& db, const StoreOptions& options) {
  // IMMEDIATE: two processes opening a fresh file must not both create it.
  Status s = db.exec("BEGIN IMMEDIATE");
  if (!s.is_ok()) return s;
  s = check_or_create(db, options);
  if (s.is_ok()) s = db.exec("COMMIT");
  if (!s.is_ok()) db.rollback_quietly();
  return s;
}

Result<std::optional<std::string>> read_meta(SqliteDb& db, std::string_view key) {
  auto stmt = db.prepare("SELECT value FROM meta WHERE key = ?1");
  if (!stmt) return stmt.status();
  std::optional<std::string> value;
  auto found = (*stmt)->bind(1, key).first([&] { value = (*stmt)->text(0); });
  if (!found) return found.status();
  return value;
}

Status write_meta(SqliteDb& db, std::string_view key, std::string_view value) {
  auto stmt = db.prepare(
      "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!stmt) return stmt.status();
  return (*stmt)->bind(1, key).bind(2, value).run();
}

Result<uint64_t> read_horizon(SqliteDb& db) {
  auto text = read_meta(db, kMetaHorizon);
  if (!text) return text.status();
  uint64_t horizon = 0;
  const std::string& v = text->value_or("0");
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), horizon);
  if (ec != std::errc() || end != v.data() + v.size()) {
    return Status(StatusCode::kInternal, "event store: meta prune_horizon is not a number: '" + v + "'");
  }
  return horizon;
}

Status set_max_page_count(SqliteDb& db, uint64_t pages) {
  // SQLite's own ceiling stands in for "no limit".
  constexpr uint64_t kSqliteMax = 4294967294ULL;
  uint64_t limit = pages == 0 ? kSqliteMax : pages;
  auto applied = query_text(db, "PRAGMA max_page_count = " + std::to_string(limit));
  return applied ? Status::ok() : applied.status();
}

}  // namespace ephemera::store
