#include "store/batch_writer.h"

#include <unordered_set>

#include "domain/reducer.h"
#include "store/event_codec.h"

namespace ephemera::store {
namespace {

using domain::Event;
using domain::EventType;

constexpr std::string_view kInsertEvent =
    "INSERT INTO events(seq, worker_id, type, at_ms, payload) VALUES(?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kFindWorker = "SELECT record, tombstone FROM workers WHERE worker_id = ?1";
// Separate statements, not an upsert: the batch knows which rows exist, and
// an upsert would probe the primary key twice.
constexpr std::string_view kInsertWorker = R"sql(
INSERT INTO workers(worker_id, state, provider, cleanup, last_seq, record, tombstone, cleaned_up_at_ms)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)
)sql";
constexpr std::string_view kUpdateWorker = R"sql(
UPDATE workers SET state = ?2, provider = ?3, cleanup = ?4, last_seq = ?5, record = ?6, cleaned_up_at_ms = ?7
WHERE worker_id = ?1
)sql";

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

std::string describe(const Event& e) {
  return std::string(domain::event_type_name(e.type)) + " for worker '" + e.worker_id + "'";
}

}  // namespace

int64_t wall_ms(WallTime t) {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Result<std::unique_ptr<WriterStatements>> WriterStatements::prepare(SqliteDb& db) {
  auto s = std::make_unique<WriterStatements>();
  for (auto [slot, sql] : {std::pair{&s->insert_event, kInsertEvent}, std::pair{&s->find_worker, kFindWorker},
                           std::pair{&s->insert_worker, kInsertWorker}, std::pair{&s->update_worker, kUpdateWorker}}) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.status();
    *slot = std::move(*stmt);
  }
  return s;
}

// What the log accepts: a new worker id for WorkerCreated; a known, not
// pruned worker for everything else. An orphan report describes a resource
// nothing tracks, so it needs no worker at all (not even a worker id label).
Status BatchWriter::validate(const Event& e, const KnownWorker& k) {
  if (e.type == EventType::kOrphanWorkerDetected) return Status::ok();
  if (e.worker_id.empty()) return invalid(describe(e) + ": the event has no worker id");
  if (!k.unreadable.is_ok()) return k.unreadable;
  if (e.type == EventType::kWorkerCreated) {
    if (k.exists) return invalid(describe(e) + ": the worker id already exists");
    if (!e.intent) return invalid(describe(e) + ": the event carries no creation intent");
    return Status::ok();
  }
  if (!k.exists) return invalid(describe(e) + ": unknown worker (no WorkerCreated before it)");
  if (k.tombstone) return invalid(describe(e) + ": the worker was cleaned up and its events pruned");
  return Status::ok();
}

Status BatchWriter::stage(std::vector<Event> events, std::optional<Result<Appended>>* answer) {
  Overlay request;  // this request's changes, merged into batch_ only if it is accepted
  std::vector<std::string> changed;  // in first-change order, for Appended::records
  std::unordered_set<std::string> seen;
  uint64_t seq = next_seq_;
  for (Event& e : events) {
    auto known = lookup(e.worker_id, request);
    if (!known) return known.status();
    if (Status v = validate(e, **known); !v.is_ok()) {
      answer->emplace(std::move(v));
      return Status::ok();
    }
    e.seq = seq++;
    if (e.type == EventType::kOrphanWorkerDetected) continue;  // changes no record
    KnownWorker& k = **known;
    k.exists = true;
    k.record = domain::apply_event(std::move(k.record), e);
    if (seen.insert(e.worker_id).second) changed.push_back(e.worker_id);
  }
  if (Status s = write_events(events); !s.is_ok()) return s;
  Appended out;
  for (const std::string& id : changed) {
    out.records.push_back(request[id].record);
    batch_[id] = std::move(request[id]);
  }
  out.events = std::move(events);
  next_seq_ = seq;
  answer->emplace(std::move(out));
  return Status::ok();
}

// The request's own copy first, then the batch's, the cache's, and last the
// database's (what is committed, for any id neither has).
Result<KnownWorker*> BatchWriter::lookup(const std::string& worker_id, Overlay& request) {
  if (auto it = request.find(worker_id); it != request.end()) return &it->second;
  if (auto it = batch_.find(worker_id); it != batch_.end()) return &(request[worker_id] = it->second);
  if (const KnownWorker* cached = cache_.find(worker_id)) return &(request[worker_id] = *cached);
  KnownWorker loaded;
  if (Status s = load(worker_id, loaded); !s.is_ok()) return s;
  return &(request[worker_id] = std::move(loaded));
}

Status BatchWriter::load(const std::string& worker_id, KnownWorker& out) {
  std::string json;
  Statement& find = *stmts_.find_worker;
  auto found = find.bind(1, worker_id).first([&] {
    json = find.text(0);
    out.tombstone = find.int64(1) != 0;
  });
  if (!found) return found.status();
  out.exists = out.stored = *found;
  if (!out.exists) return Status::ok();
  auto record = decode_record(json);
  if (record) {
    out.record = std::move(*record);
  } else {
    out.unreadable = Status(StatusCode::kInternal,
                            "stored record of worker '" + worker_id + "' is unreadable: " + record.status().message());
  }
  return Status::ok();
}

Status BatchWriter::write_events(const std::vector<Event>& events) {
  Statement& insert = *stmts_.insert_event;
  for (const Event& e : events) {
    Status s = insert.bind(1, static_cast<int64_t>(e.seq))
                   .bind(2, e.worker_id)
                   .bind(3, domain::event_type_name(e.type))
                   .bind(4, wall_ms(e.at))
                   .bind(5, encode_event(e))
                   .run();
    if (!s.is_ok()) return s;
  }
  return Status::ok();
}

Status BatchWriter::flush() {
  for (const auto& [id, known] : batch_) {
    const domain::WorkerRecord& r = known.record;
    std::optional<int64_t> cleaned_ms;
    if (r.cleaned_up_at) cleaned_ms = wall_ms(*r.cleaned_up_at);
    Statement& write = known.stored ? *stmts_.update_worker : *stmts_.insert_worker;
    Status s = write.bind(1, r.worker_id)
                   .bind(2, domain::state_name(r.state))
                   .bind(3, r.intent.provider)
                   .bind(4, domain::cleanup_name(r.cleanup))
                   .bind(5, static_cast<int64_t>(r.last_seq))
                   .bind(6, encode_record(r))
                   .bind(7, cleaned_ms)
                   .run();
    if (!s.is_ok()) return s;
  }
  return Status::ok();
}

void BatchWriter::publish() {
  try {
    for (auto& [id, known] : batch_) {
      known.stored = true;
      cache_.put(id, std::move(known));
    }
  } catch (const std::exception&) {
    // The batch is committed; it must not fail now. Forgetting is always safe.
    cache_.clear();
  }
}

const KnownWorker* RecordCache::find(const std::string& worker_id) const {
  auto it = entries_.find(worker_id);
  return it == entries_.end() ? nullptr : &it->second;
}

void RecordCache::put(const std::string& worker_id, KnownWorker known) {
  if (capacity_ == 0) return;
  if (entries_.size() >= capacity_ && !entries_.contains(worker_id)) entries_.erase(entries_.begin());
  entries_[worker_id] = std::move(known);
}

}  // namespace ephemera::store
