// Opening, the writer thread and group commit. Reads are in
// sqlite_event_store_reads.cpp, retention in sqlite_event_store_prune.cpp.
#include "store/sqlite_event_store.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <future>

#include "store/store_schema.h"

namespace ephemera::store {
namespace {

// The highest seq ever handed out, which must never be handed out again:
// the newest events may have been pruned, but never above the horizon.
Result<uint64_t> highest_seq(SqliteDb& db) {
  auto stmt = db.prepare(
      "SELECT MAX(COALESCE((SELECT MAX(seq) FROM events), 0),"
      " COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1), 0))");
  if (!stmt) return stmt.status();
  uint64_t seq = 0;
  auto found = (*stmt)->bind(1, kMetaHorizon).first([&] { seq = static_cast<uint64_t>((*stmt)->int64(0)); });
  if (!found) return found.status();
  return seq;
}

// Records the writer keeps parsed (~1-2 KB each): the workers that are busy
// right now should all fit.
constexpr size_t kRecordCacheCapacity = 4096;

Status check_options(const StoreOptions& o) {
  if (o.path.empty()) return Status(StatusCode::kInvalidArgument, "event store: no database path given");
  if (o.max_batch == 0) return Status(StatusCode::kInvalidArgument, "event store: max_batch must be at least 1");
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<EventStore>> EventStore::open(const StoreOptions& options) {
  auto store = SqliteEventStore::open(options);
  if (!store) return store.status();
  return std::unique_ptr<EventStore>(std::move(*store));
}

Result<std::unique_ptr<SqliteEventStore>> SqliteEventStore::open(const StoreOptions& options) {
  auto parts = open_parts(options);
  if (!parts) return parts.status();
  return std::unique_ptr<SqliteEventStore>(new SqliteEventStore(options, std::move(*parts)));
}

Result<SqliteEventStore::Parts> SqliteEventStore::open_parts(const StoreOptions& options) {
  if (Status s = check_options(options); !s.is_ok()) return s;
  Parts p;
  auto writer = open_connection(options, ConnectionRole::kWriter);
  if (!writer) return writer.status();
  p.writer = std::move(*writer);
  if (Status s = ensure_schema(*p.writer, options); !s.is_ok()) return s;
  auto reader = open_connection(options, ConnectionRole::kReader);
  if (!reader) return reader.status();
  p.reader = std::move(*reader);
  auto checkpointer = WalCheckpointer::open(options);
  if (!checkpointer) return checkpointer.status();
  p.checkpointer = std::move(*checkpointer);
  p.writer->on_wal_commit([cp = p.checkpointer.get()](int wal_pages) {
    if (wal_pages >= WalCheckpointer::kWalPages) cp->request();
  });
  auto statements = WriterStatements::prepare(*p.writer);
  if (!statements) return statements.status();
  p.statements = std::move(*statements);
  auto seq = highest_seq(*p.writer);
  if (!seq) return seq.status();
  p.last_seq = *seq;
  return p;
}

SqliteEventStore::SqliteEventStore(const StoreOptions& options, Parts parts)
    : options_(options),
      checkpointer_(std::move(parts.checkpointer)),
      writer_(std::move(parts.writer)),
      statements_(std::move(parts.statements)),
      next_seq_(parts.last_seq + 1),
      cache_(kRecordCacheCapacity),
      reader_(std::move(parts.reader)),
      last_seq_(parts.last_seq),
      writer_thread_([this] { writer_loop(); }) {}

SqliteEventStore::~SqliteEventStore() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  writer_thread_.join();
}

// --- appending ------------------------------------------------------------

Result<Appended> SqliteEventStore::append(std::vector<domain::Event> events) {
  if (std::this_thread::get_id() == writer_thread_.get_id()) {
    // Waiting here would wait on ourselves.
    return Status(StatusCode::kInternal, "event store: append() called from an append_async callback; use append_async");
  }
  std::promise<Result<Appended>> promise;
  auto future = promise.get_future();
  append_async(std::move(events), [&promise](Result<Appended> r) { promise.set_value(std::move(r)); });
  return future.get();
}

void SqliteEventStore::append_async(std::vector<domain::Event> events, std::function<void(Result<Appended>)> done) {
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      queue_.push_back(Request{std::move(events), std::move(done)});
      queue_cv_.notify_one();
      return;
    }
  }
  done(Status(StatusCode::kUnavailable, "event store is closing"));
}

void SqliteEventStore::writer_loop() {
  for (;;) {
    std::vector<Request> batch = take_batch();
    if (batch.empty()) return;  // stopping, and nothing left to commit
    commit_batch(batch);
  }
}

// Everything waiting, up to max_batch events (a larger single request goes
// alone): while one transaction syncs, the next batch gathers here.
std::vector<SqliteEventStore::Request> SqliteEventStore::take_batch() {
  std::unique_lock lock(queue_mu_);
  queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  std::vector<Request> batch;
  size_t events = 0;
  while (!queue_.empty() && (batch.empty() || events + queue_.front().events.size() <= options_.max_batch)) {
    events += queue_.front().events.size();
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch;
}

void SqliteEventStore::commit_batch(std::vector<Request>& batch) {
  std::vector<std::optional<Result<Appended>>> answers;
  Status failed;
  {
    std::lock_guard lock(writer_mu_);
    try {
      failed = write_batch(batch, answers);
    } catch (const std::exception& e) {  // bad_alloc and the like: fail the batch, keep the store
      writer_->rollback_quietly();
      failed = Status(StatusCode::kInternal, std::string("event store: ") + e.what());
    }
    if (failed.is_ok()) last_seq_ = next_seq_ - 1;
  }
  ++transactions_;
  if (!failed.is_ok()) ++failed_transactions_;
  requests_ += batch.size();
  for (size_t i = 0; i < batch.size(); ++i) {
    Result<Appended> answer = failed.is_ok() ? std::move(*answers[i]) : Result<Appended>(failed);
    if (answer) events_ += answer->events.size();
    try {
      batch[i].done(std::move(answer));
    } catch (const std::exception& e) {
      spdlog::error("event store: an append callback threw: {}", e.what());
    } catch (...) {
      spdlog::error("event store: an append callback threw");
    }
  }
}

// One transaction for the whole batch. On any SQLite error it is rolled back
// whole and next_seq_ stays where it was: no seq is burnt, every request of
// the batch gets the error.
Status SqliteEventStore::write_batch(std::vector<Request>& batch,
                                     std::vector<std::optional<Result<Appended>>>& answers) {
  Status s = writer_->exec("BEGIN IMMEDIATE");
  if (!s.is_ok()) return s;
  BatchWriter writer(*statements_, cache_, next_seq_);
  answers.resize(batch.size());
  for (size_t i = 0; i < batch.size() && s.is_ok(); ++i) s = writer.stage(std::move(batch[i].events), &answers[i]);
  if (s.is_ok()) s = writer.flush();
  if (s.is_ok()) s = writer_->exec("COMMIT");
  if (!s.is_ok()) {
    writer_->rollback_quietly();
    return s;
  }
  next_seq_ = writer.next_seq();
  writer.publish();
  return Status::ok();
}

SqliteEventStore::Stats SqliteEventStore::stats() const {
  return Stats{transactions_.load(), failed_transactions_.load(), requests_.load(), events_.load()};
}

Status SqliteEventStore::set_max_page_count(uint64_t pages) {
  std::lock_guard lock(writer_mu_);
  return store::set_max_page_count(*writer_, pages);
}

}  // namespace ephemera::store
