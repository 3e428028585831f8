#include "store/sqlite_db.h"

#include <sqlite3.h>

namespace ephemera::store {

Status sqlite_status(int rc, sqlite3* db, std::string_view what) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = std::string(what) + ": " + detail;
  switch (rc & 0xff) {  // the primary code; extended codes refine it
    case SQLITE_FULL:
      return Status(StatusCode::kResourceExhausted, "disk full: " + message);
    case SQLITE_NOTADB:
      return Status(StatusCode::kInvalidArgument, message + " (not an SQLite database)");
    case SQLITE_CONSTRAINT:
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return Status(StatusCode::kInternal, message);
    default:
      return Status(StatusCode::kUnavailable, message);
  }
}

// --- SqliteDb -------------------------------------------------------------

Result<std::unique_ptr<SqliteDb>> SqliteDb::open(const std::filesystem::path& path, Mode mode) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;  // callers serialize access
  if (mode == Mode::kReadWriteCreate) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = sqlite_status(rc, db, "open " + path.string());
    sqlite3_close_v2(db);  // a handle is returned even on failure
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<SqliteDb>(new SqliteDb(db));
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Status SqliteDb::exec(std::string_view sql) {
  std::string copy(sql);  // sqlite3_exec wants a terminated string
  int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_status(rc, db_, copy);
  return Status::ok();
}

Result<std::unique_ptr<Statement>> SqliteDb::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) return sqlite_status(rc, db_, "prepare " + std::string(sql));
  return std::make_unique<Statement>(db_, stmt);
}

bool SqliteDb::autocommit() const { return sqlite3_get_autocommit(db_) != 0; }

void SqliteDb::rollback_quietly() {
  if (!autocommit()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteDb::on_wal_commit(std::function<void(int wal_pages)> hook) {
  wal_hook_ = std::move(hook);
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int pages) {
        try {  // nothing may unwind through SQLite; the commit has happened anyway
          static_cast<SqliteDb*>(self)->wal_hook_(pages);
        } catch (...) {
        }
        return SQLITE_OK;
      },
      this);
}

Status SqliteDb::checkpoint_passive() {
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_status(rc, db_, "wal checkpoint");
  return Status::ok();
}

// --- Statement ------------------------------------------------------------

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_status_.is_ok()) bind_status_ = sqlite_status(rc, db_, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_status_.is_ok()) bind_status_ = sqlite_status(rc, db_, "bind");
  return *this;
}

Statement& Statement::bind(int index, const std::optional<int64_t>& value) {
  if (value) return bind(index, *value);
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_status_.is_ok()) bind_status_ = sqlite_status(rc, db_, "bind");
  return *this;
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_status_ = Status::ok();
}

Status Statement::step_error(int rc) {
  Status s = sqlite_status(rc, db_, sqlite3_sql(stmt_));
  reset();
  return s;
}

Status Statement::run() {
  return for_each([] { return Status::ok(); });
}

Status Statement::for_each(const std::function<Status()>& row) {
  if (!bind_status_.is_ok()) {
    Status s = bind_status_;
    reset();
    return s;
  }
  for (;;) {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return step_error(rc);
    Status s = row();
    if (!s.is_ok()) {
      reset();
      return s;
    }
  }
  reset();
  return Status::ok();
}

Result<bool> Statement::first(const std::function<void()>& read) {
  bool found = false;
  // Stopping after one row with a non-OK marker would read as an error, so
  // the rest of the (at most one-row) result is simply stepped through.
  Status s = for_each([&] {
    if (!found) read();
    found = true;
    return Status::ok();
  });
  if (!s.is_ok()) return s;
  return found;
}

int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (p == nullptr) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

}  // namespace ephemera::store
