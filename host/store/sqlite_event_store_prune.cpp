// Retention: events of workers cleaned up longer ago than event_retention
// are deleted and the worker row becomes a tombstone (DESIGN.md,
// "Durability and recovery").
#include <algorithm>
#include <utility>

#include "store/event_codec.h"
#include "store/sqlite_event_store.h"
#include "store/store_schema.h"

namespace ephemera::store {
namespace {

using domain::WorkerRecord;

// Per transaction: small enough that appends waiting on the writer are not
// held up for long.
constexpr int64_t kChunk = 256;

// A pruned worker keeps what says it existed, where, how it ended and when it
// was cleaned up; its spec, labels and policy go with its events (the intent
// keeps only provider and resource name).
WorkerRecord tombstone_of(const WorkerRecord& r) {
  WorkerRecord t;
  t.worker_id = r.worker_id;
  t.intent.provider = r.intent.provider;
  t.intent.resource_name = r.intent.resource_name;
  t.resource_id = r.resource_id;
  t.state = r.state;
  t.created_at = r.created_at;
  t.state_entered_at = r.state_entered_at;
  t.backend = r.backend;
  t.cleanup = r.cleanup;
  t.cleaned_up_at = r.cleaned_up_at;
  t.final_reason = r.final_reason;
  t.last_seq = r.last_seq;
  return t;
}

// Runs a DELETE … RETURNING seq, counting the rows and raising the horizon.
Status delete_counting(Statement& del, PruneResult& chunk) {
  return del.for_each([&] {
    ++chunk.events;
    chunk.horizon = std::max(chunk.horizon, static_cast<uint64_t>(del.int64(0)));
    return Status::ok();
  });
}

Result<std::vector<std::pair<std::string, std::string>>> prunable_workers(SqliteDb& db, int64_t cutoff_ms) {
  auto select = db.prepare(
      "SELECT worker_id, record FROM workers WHERE tombstone = 0 AND cleaned_up_at_ms IS NOT NULL"
      " AND cleaned_up_at_ms <= ?1 AND cleanup = 'done' LIMIT ?2");
  if (!select) return select.status();
  Statement& st = **select;
  std::vector<std::pair<std::string, std::string>> rows;
  Status s = st.bind(1, cutoff_ms).bind(2, kChunk).for_each([&] {
    rows.emplace_back(st.text(0), st.text(1));
    return Status::ok();
  });
  if (!s.is_ok()) return s;
  return rows;
}

Status tombstone_worker(SqliteDb& db, const std::string& worker_id, const std::string& record_json,
                        PruneResult& chunk) {
  auto record = decode_record(record_json);
  if (!record) return record.status();
  auto del = db.prepare("DELETE FROM events WHERE worker_id = ?1 RETURNING seq");
  if (!del) return del.status();
  if (Status s = delete_counting((*del)->bind(1, worker_id), chunk); !s.is_ok()) return s;
  auto mark = db.prepare("UPDATE workers SET tombstone = 1, record = ?2 WHERE worker_id = ?1");
  if (!mark) return mark.status();
  ++chunk.workers;
  return (*mark)->bind(1, worker_id).bind(2, encode_record(tombstone_of(*record))).run();
}

// Orphan reports belong to no worker, so they age out on their own.
Result<bool> prune_orphans(SqliteDb& db, int64_t cutoff_ms, PruneResult& chunk) {
  auto del = db.prepare(
      "DELETE FROM events WHERE seq IN (SELECT seq FROM events"
      " WHERE type = 'OrphanWorkerDetected' AND at_ms <= ?1 LIMIT ?2) RETURNING seq");
  if (!del) return del.status();
  size_t before = chunk.events;
  if (Status s = delete_counting((*del)->bind(1, cutoff_ms).bind(2, kChunk), chunk); !s.is_ok()) return s;
  return chunk.events - before == static_cast<size_t>(kChunk);
}

// The chunk's deletions inside the open transaction; `more` when a limit was hit.
Status prune_in_transaction(SqliteDb& db, int64_t cutoff_ms, PruneResult& chunk, bool& more) {
  auto horizon = read_horizon(db);  // read here: a concurrent prune may have raised it
  if (!horizon) return horizon.status();
  chunk.horizon = *horizon;
  auto workers = prunable_workers(db, cutoff_ms);
  if (!workers) return workers.status();
  for (const auto& [id, json] : *workers) {
    if (Status s = tombstone_worker(db, id, json, chunk); !s.is_ok()) return s;
  }
  auto more_orphans = prune_orphans(db, cutoff_ms, chunk);
  if (!more_orphans) return more_orphans.status();
  more = workers->size() == static_cast<size_t>(kChunk) || *more_orphans;
  if (chunk.horizon == *horizon) return Status::ok();
  return write_meta(db, kMetaHorizon, std::to_string(chunk.horizon));
}

}  // namespace

Result<PruneResult> SqliteEventStore::prune(WallTime now) {
  const int64_t cutoff_ms = wall_ms(now - options_.event_retention);
  PruneResult total;
  for (bool more = true; more;) {
    if (Status s = prune_chunk(cutoff_ms, total, more); !s.is_ok()) return s;
  }
  return total;
}

Status SqliteEventStore::prune_chunk(int64_t cutoff_ms, PruneResult& total, bool& more) {
  std::lock_guard lock(writer_mu_);
  if (Status s = writer_->exec("BEGIN IMMEDIATE"); !s.is_ok()) return s;
  PruneResult chunk;
  Status s = prune_in_transaction(*writer_, cutoff_ms, chunk, more);
  if (s.is_ok()) s = writer_->exec("COMMIT");
  if (!s.is_ok()) {
    writer_->rollback_quietly();
    return s;
  }
  if (chunk.workers > 0) cache_.clear();  // it may hold them as not pruned
  total.workers += chunk.workers;
  total.events += chunk.events;
  total.horizon = chunk.horizon;
  return Status::ok();
}

}  // namespace ephemera::store
