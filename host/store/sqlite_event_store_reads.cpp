// Reads, on the reader connection: the projection, the log, meta.
#include <algorithm>
#include <limits>
#include <map>

#include "domain/reducer.h"
#include "store/event_codec.h"
#include "store/sqlite_event_store.h"
#include "store/store_schema.h"

namespace ephemera::store {
namespace {

using domain::Event;
using domain::WorkerRecord;

// Runs `sql` (parameters bound by `bind`) and decodes column 0 of each row.
template <class T, class Decode>
Result<std::vector<T>> decode_rows(SqliteDb& db, std::string_view sql, Decode decode,
                                   const std::function<void(Statement&)>& bind = nullptr) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.status();
  Statement& st = **stmt;
  if (bind) bind(st);
  std::vector<T> out;
  Status s = st.for_each([&] {
    auto value = decode(st.text(0));
    if (!value) return value.status();
    out.push_back(std::move(*value));
    return Status::ok();
  });
  if (!s.is_ok()) return s;
  return out;
}

int64_t sql_limit(size_t limit) {
  return static_cast<int64_t>(std::min<size_t>(limit, std::numeric_limits<int64_t>::max()));
}

}  // namespace

Result<std::vector<WorkerRecord>> SqliteEventStore::load_projection() {
  std::lock_guard lock(reader_mu_);
  return decode_rows<WorkerRecord>(*reader_, "SELECT record FROM workers WHERE tombstone = 0 ORDER BY worker_id",
                                   decode_record);
}

Result<std::optional<WorkerRecord>> SqliteEventStore::get_record(const std::string& worker_id) {
  std::lock_guard lock(reader_mu_);
  auto rows = decode_rows<WorkerRecord>(*reader_, "SELECT record FROM workers WHERE worker_id = ?1", decode_record,
                                        [&](Statement& st) { st.bind(1, worker_id); });
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<WorkerRecord>();
  return std::optional<WorkerRecord>(std::move(rows->front()));
}

// One statement, so one snapshot of the log. Orphan reports change no record.
Result<std::vector<WorkerRecord>> SqliteEventStore::rebuild_projection() {
  std::lock_guard lock(reader_mu_);
  auto stmt = reader_->prepare("SELECT payload FROM events WHERE type != 'OrphanWorkerDetected' ORDER BY seq");
  if (!stmt) return stmt.status();
  std::map<std::string, WorkerRecord> records;
  Status s = (*stmt)->for_each([&] {
    auto event = decode_event((*stmt)->text(0));
    if (!event) return event.status();
    WorkerRecord& r = records[event->worker_id];
    r = domain::apply_event(std::move(r), *event);
    return Status::ok();
  });
  if (!s.is_ok()) return s;
  std::vector<WorkerRecord> out;
  out.reserve(records.size());
  for (auto& [id, record] : records) out.push_back(std::move(record));
  return out;
}

Result<EventPage> SqliteEventStore::read_events(uint64_t after_seq, size_t limit,
                                                const std::optional<std::string>& worker_id) {
  std::lock_guard lock(reader_mu_);
  // The horizon and the rows from one snapshot: a prune in between could
  // otherwise remove rows the horizon just said were there.
  if (Status s = reader_->exec("BEGIN"); !s.is_ok()) return s;
  auto page = read_page(after_seq, limit, worker_id);
  Status s = page ? reader_->exec("COMMIT") : page.status();
  if (!s.is_ok()) {
    reader_->rollback_quietly();
    return s;
  }
  return page;
}

Result<EventPage> SqliteEventStore::read_page(uint64_t after_seq, size_t limit,
                                              const std::optional<std::string>& worker_id) {
  EventPage page;
  auto horizon = read_horizon(*reader_);
  if (!horizon) return horizon.status();
  page.horizon = *horizon;
  page.gone = after_seq < *horizon;
  if (worker_id) {
    auto pruned = worker_pruned_after(*worker_id, after_seq);
    if (!pruned) return pruned.status();
    page.gone = *pruned;
  }
  if (page.gone) return page;
  auto rows = read_event_rows(after_seq, limit, worker_id);
  if (!rows) return rows.status();
  page.events = std::move(*rows);
  return page;
}

// A worker's events are pruned all at once, up to its last seq.
Result<bool> SqliteEventStore::worker_pruned_after(const std::string& worker_id, uint64_t after_seq) {
  auto stmt = reader_->prepare("SELECT tombstone, last_seq FROM workers WHERE worker_id = ?1");
  if (!stmt) return stmt.status();
  bool pruned = false;
  auto found = (*stmt)->bind(1, worker_id).first([&] {
    pruned = (*stmt)->int64(0) != 0 && after_seq < static_cast<uint64_t>((*stmt)->int64(1));
  });
  if (!found) return found.status();
  return pruned;
}

Result<std::vector<Event>> SqliteEventStore::read_event_rows(uint64_t after_seq, size_t limit,
                                                             const std::optional<std::string>& worker_id) {
  auto bind = [&](Statement& st) {
    st.bind(1, static_cast<int64_t>(after_seq)).bind(2, sql_limit(limit));
    if (worker_id) st.bind(3, *worker_id);
  };
  if (worker_id) {
    return decode_rows<Event>(*reader_,
                              "SELECT payload FROM events WHERE worker_id = ?3 AND seq > ?1 ORDER BY seq LIMIT ?2",
                              decode_event, bind);
  }
  return decode_rows<Event>(*reader_, "SELECT payload FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2", decode_event,
                            bind);
}

Status SqliteEventStore::checkpoint() { return checkpointer_->run(); }

Result<std::optional<std::string>> SqliteEventStore::get_meta(const std::string& key) {
  std::lock_guard lock(reader_mu_);
  return read_meta(*reader_, key);
}

Status SqliteEventStore::set_meta(const std::string& key, const std::string& value) {
  std::lock_guard lock(writer_mu_);
  return write_meta(*writer_, key, value);
}

}  // namespace ephemera::store
