// SqliteEventStore: the EventStore on SQLite (event_store.h has the contract).
//
// Three connections. The writer connection belongs to one writer thread that
// group-commits queued appends (prune/set_meta borrow it under writer_mu_);
// the reader connection serves reads under reader_mu_; a WalCheckpointer
// checkpoints on its own. In WAL mode readers never block the writer, and
// every read statement is reset at once, so no read transaction outlives the
// call that opened it.
//
// One process writes the file (ephemerad locks its state dir), so the
// writer keeps the records it wrote parsed (RecordCache) and reads back none.
//
// `done` callbacks of append_async run on the writer thread after the
// commit: they must not block on the store (append() from one is refused).
// Once the store is closing, `done` runs at once with UNAVAILABLE.
//
// Pruned workers keep a slim tombstone row: get_record() returns it,
// load_projection() and rebuild_projection() leave it out (its events are
// gone). Both list records ordered by worker id, so they compare with ==.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "store/batch_writer.h"
#include "store/event_store.h"
#include "store/sqlite_db.h"
#include "store/wal_checkpointer.h"

namespace ephemera::store {

class SqliteEventStore final : public EventStore {
 public:
  // Counters for tests and metrics.
  struct Stats {
    uint64_t transactions = 0;         // group commits attempted
    uint64_t failed_transactions = 0;  // rolled back whole (disk full, I/O)
    uint64_t requests = 0;             // append / append_async calls answered
    uint64_t events = 0;               // events committed
  };

  static Result<std::unique_ptr<SqliteEventStore>> open(const StoreOptions& options);
  // Commits what is queued, then stops the writer thread.
  ~SqliteEventStore() override;

  Result<Appended> append(std::vector<domain::Event> events) override;
  void append_async(std::vector<domain::Event> events, std::function<void(Result<Appended>)> done) override;

  Result<std::vector<domain::WorkerRecord>> load_projection() override;
  Result<std::optional<domain::WorkerRecord>> get_record(const std::string& worker_id) override;
  Result<std::vector<domain::WorkerRecord>> rebuild_projection() override;

  // For one worker, `gone` means its own events were pruned (its tombstone),
  // so a live worker's history stays readable whatever the global horizon.
  Result<EventPage> read_events(uint64_t after_seq, size_t limit,
                                const std::optional<std::string>& worker_id) override;
  uint64_t last_seq() const override { return last_seq_.load(); }

  // Also drops OrphanWorkerDetected events older than the retention (they
  // belong to no worker, so nothing else would ever remove them). Works in
  // chunks, releasing the writer between them so appends keep flowing.
  Result<PruneResult> prune(WallTime now) override;
  Status checkpoint() override;

  Result<std::optional<std::string>> get_meta(const std::string& key) override;
  Status set_meta(const std::string& key, const std::string& value) override;

  Stats stats() const;
  // Test hook: changes the disk-full simulation (StoreOptions::max_page_count).
  Status set_max_page_count(uint64_t pages);

 private:
  struct Request {
    std::vector<domain::Event> events;
    std::function<void(Result<Appended>)> done;
  };

  // What open() prepares, handed to the constructor in one piece.
  struct Parts {
    std::unique_ptr<WalCheckpointer> checkpointer;
    std::unique_ptr<SqliteDb> writer;
    std::unique_ptr<SqliteDb> reader;
    std::unique_ptr<WriterStatements> statements;
    uint64_t last_seq = 0;
  };
  static Result<Parts> open_parts(const StoreOptions& options);
  SqliteEventStore(const StoreOptions& options, Parts parts);

  void writer_loop();
  std::vector<Request> take_batch();
  void commit_batch(std::vector<Request>& batch);
  Status write_batch(std::vector<Request>& batch, std::vector<std::optional<Result<Appended>>>& answers);

  // Inside read_events' snapshot.
  Result<EventPage> read_page(uint64_t after_seq, size_t limit, const std::optional<std::string>& worker_id);
  Result<bool> worker_pruned_after(const std::string& worker_id, uint64_t after_seq);
  Result<std::vector<domain::Event>> read_event_rows(uint64_t after_seq, size_t limit,
                                                     const std::optional<std::string>& worker_id);
  // One prune transaction of at most a chunk; `more` when it was full.
  Status prune_chunk(int64_t cutoff_ms, PruneResult& total, bool& more);

  const StoreOptions options_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // first: outlives the writer's commit hook

  std::mutex writer_mu_;  // the writer connection, next_seq_ and cache_
  std::unique_ptr<SqliteDb> writer_;
  std::unique_ptr<WriterStatements> statements_;
  uint64_t next_seq_;
  RecordCache cache_;

  std::mutex reader_mu_;
  std::unique_ptr<SqliteDb> reader_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Request> queue_;
  bool stopping_ = false;

  std::atomic<uint64_t> last_seq_;
  std::atomic<uint64_t> transactions_{0}, failed_transactions_{0}, requests_{0}, events_{0};

  std::thread writer_thread_;  // last: starts once everything above exists
};

}  // namespace ephemera::store
