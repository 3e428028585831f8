// BatchWriter: stages the requests of one group commit into the open
// transaction of the writer connection.
//
// Each request is validated against the log as the batch leaves it (earlier
// requests of the same batch included) before anything is written, so a bad
// request is answered alone and the others still commit. Records changed by
// several requests are written once, at flush(). One BatchWriter per
// transaction; writer thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "domain/event.h"
#include "domain/worker_record.h"
#include "store/event_store.h"
#include "store/sqlite_db.h"

namespace ephemera::store {

// The writer connection's prepared statements, prepared once.
struct WriterStatements {
  static Result<std::unique_ptr<WriterStatements>> prepare(SqliteDb& db);
  std::unique_ptr<Statement> insert_event;
  std::unique_ptr<Statement> find_worker;
  std::unique_ptr<Statement> insert_worker;
  std::unique_ptr<Statement> update_worker;
};

// floor(t) in milliseconds since the epoch: the indexed time columns.
int64_t wall_ms(WallTime t);

// What the writer knows of one worker id.
struct KnownWorker {
  bool exists = false;
  bool tombstone = false;
  bool stored = false;  // a workers row exists (committed): update it, not insert
  Status unreadable;   // its stored record would not decode
  domain::WorkerRecord record;
};

// Committed worker rows the writer has seen lately, so the hot path reads no
// row and parses no JSON. Holds only committed state (BatchWriter::publish
// runs after COMMIT); whoever else changes workers rows (prune) clears it.
// Bounded: when full, an arbitrary entry makes room. Writer only.
class RecordCache {
 public:
  explicit RecordCache(size_t capacity) : capacity_(capacity) {}
  const KnownWorker* find(const std::string& worker_id) const;
  void put(const std::string& worker_id, KnownWorker known);
  void clear() { entries_.clear(); }

 private:
  size_t capacity_;
  std::unordered_map<std::string, KnownWorker> entries_;
};

class BatchWriter {
 public:
  BatchWriter(WriterStatements& statements, RecordCache& cache, uint64_t next_seq)
      : stmts_(statements), cache_(cache), next_seq_(next_seq) {}

  // Validates `events`, assigns their seqs, applies them and writes the event
  // rows. The request's own answer goes to *answer (its Appended, or
  // INVALID_ARGUMENT when the log cannot take it — nothing of it written);
  // a returned error is SQLite's and dooms the whole transaction.
  Status stage(std::vector<domain::Event> events, std::optional<Result<Appended>>* answer);
  // Writes every record this batch changed.
  Status flush();
  // After COMMIT: hands the changed records to the cache. Never fails.
  void publish();
  // The seq the next accepted event will get.
  uint64_t next_seq() const { return next_seq_; }

 private:
  using Overlay = std::unordered_map<std::string, KnownWorker>;

  static Status validate(const domain::Event& event, const KnownWorker& known);
  Result<KnownWorker*> lookup(const std::string& worker_id, Overlay& request);
  Status load(const std::string& worker_id, KnownWorker& out);
  Status write_events(const std::vector<domain::Event>& events);

  WriterStatements& stmts_;
  RecordCache& cache_;
  uint64_t next_seq_;
  Overlay batch_;  // the workers this batch changed, as it leaves them
};

}  // namespace ephemera::store
