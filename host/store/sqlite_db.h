// A thin RAII layer over the SQLite C API: one connection, prepared
// statements, and SQLite result codes turned into Status values.
//
// Statements are always reset after use (run/for_each/first do it), so an
// autocommit read never keeps its implicit read transaction open — the WAL
// can be checkpointed behind it. Neither class is thread-safe: each
// connection is owned by one thread or guarded by its owner's mutex.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ephemera::store {

// SQLITE_FULL → RESOURCE_EXHAUSTED "disk full"; SQLITE_NOTADB →
// INVALID_ARGUMENT; SQLITE_CONSTRAINT → INTERNAL (a store bug); anything
// else (I/O, busy, locked) → UNAVAILABLE. `what` says what was being done.
Status sqlite_status(int rc, sqlite3* db, std::string_view what);

class Statement;

class SqliteDb {
 public:
  enum class Mode : uint8_t { kReadWriteCreate, kReadWrite };

  static Result<std::unique_ptr<SqliteDb>> open(const std::filesystem::path& path, Mode mode);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements that return no rows worth reading.
  Status exec(std::string_view sql);
  Result<std::unique_ptr<Statement>> prepare(std::string_view sql);
  // True outside an explicit transaction (SQLite may end one itself on
  // SQLITE_FULL or I/O errors; ROLLBACK is then an error of its own).
  bool autocommit() const;
  // Ends an open transaction, if any, ignoring errors: used on failure paths.
  void rollback_quietly();
  // Calls `hook` after each commit with the WAL's size in pages
  // (sqlite3_wal_hook). Replaces SQLite's automatic checkpoints.
  void on_wal_commit(std::function<void(int wal_pages)> hook);
  // A PASSIVE checkpoint: copies what it can, waits for no one.
  Status checkpoint_passive();
  sqlite3* raw() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::function<void(int)> wal_hook_;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text is copied.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::optional<int64_t>& value);

  // Executes to completion, then resets.
  Status run();
  // Calls `row` for each result row (reading columns inside it); stops at
  // the first error `row` returns. Resets afterwards either way.
  Status for_each(const std::function<Status()>& row);
  // The first row only, if any: true when `row` was called.
  Result<bool> first(const std::function<void()>& row);

  int64_t int64(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  Status step_error(int rc);
  void reset();

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status bind_status_;  // the first bind error, reported by the next run
};

}  // namespace ephemera::store
