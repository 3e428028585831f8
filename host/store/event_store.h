// EventStore: the durable event log and the current-state projection, in
// SQLite (WAL, synchronous=FULL).
//
// Contract:
//  - append() returns only after its events are durable (committed with
//    synchronous=FULL). Events and the projection rows they change are
//    written in one transaction: the projection never disagrees with the log.
//  - Concurrent callers are group-committed: one writer thread takes every
//    waiting request into one transaction, so throughput grows with callers.
//  - Sequence numbers are gap-free and increasing; a failed transaction
//    (e.g. disk full → RESOURCE_EXHAUSTED) is rolled back whole, burns no
//    sequence number, and loses nothing acknowledged before it.
//  - The store applies domain::apply_event itself, so the stored projection
//    is by construction the fold of the stored events; rebuild_projection()
//    recomputes it from the log for checking.
//  - Schema and event payloads carry versions; a database written by a newer
//    schema is refused at open, never guessed at.
//  - No read transaction is held across a wait.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/event.h"
#include "domain/worker_record.h"

namespace ephemera::store {

inline constexpr int kSchemaVersion = 1;
inline constexpr int kEventPayloadVersion = 1;

struct StoreOptions {
  std::filesystem::path path;  // the SQLite file; its directory must exist
  // Events of workers cleaned up longer ago than this are pruned (a
  // tombstone row remains per worker).
  std::chrono::milliseconds event_retention = std::chrono::hours(24 * 7);
  size_t max_batch = 1024;  // events per group commit at most
  // Test-only: caps the database at this many pages (SQLite max_page_count)
  // to simulate a full disk. 0 = no cap.
  uint64_t max_page_count = 0;
};

struct Appended {
  std::vector<domain::Event> events;          // as stored, with seq
  std::vector<domain::WorkerRecord> records;  // the changed records, after the events
};

struct EventPage {
  std::vector<domain::Event> events;
  uint64_t horizon = 0;  // events with seq <= horizon may have been pruned
  bool gone = false;     // the caller asked for events before the horizon (HTTP 410)
};

struct PruneResult {
  size_t workers = 0;  // workers whose events were pruned (tombstoned)
  size_t events = 0;
  uint64_t horizon = 0;
};

class EventStore {
 public:
  // Opens or creates the database. Errors: INVALID_ARGUMENT for a newer
  // schema version or a file that is not one of ours; UNAVAILABLE for I/O.
  static Result<std::unique_ptr<EventStore>> open(const StoreOptions& options);
  virtual ~EventStore() = default;

  // Appends events (seq assigned here) and updates the projection; blocks
  // until durable. A WorkerCreated for an existing worker id, or an event for
  // an unknown worker, is INVALID_ARGUMENT and writes nothing.
  virtual Result<Appended> append(std::vector<domain::Event> events) = 0;
  // The same, completing on the writer thread (the engine posts the result
  // back to its own loop).
  virtual void append_async(std::vector<domain::Event> events,
                            std::function<void(Result<Appended>)> done) = 0;

  // Every worker record (cleaned-up ones included until pruned).
  virtual Result<std::vector<domain::WorkerRecord>> load_projection() = 0;
  virtual Result<std::optional<domain::WorkerRecord>> get_record(const std::string& worker_id) = 0;
  // Folds the whole log again (for the rebuild-equals-stored check).
  virtual Result<std::vector<domain::WorkerRecord>> rebuild_projection() = 0;

  // Events with seq > after_seq, oldest first, at most `limit`, optionally
  // of one worker. `gone` when after_seq is before the retention horizon.
  virtual Result<EventPage> read_events(uint64_t after_seq, size_t limit,
                                        const std::optional<std::string>& worker_id) = 0;
  virtual uint64_t last_seq() const = 0;

  // Retention: prunes events of workers cleaned up before now - retention.
  virtual Result<PruneResult> prune(WallTime now) = 0;
  // PASSIVE WAL checkpoint (never blocks writers for long).
  virtual Status checkpoint() = 0;

  // Small persistent key/values (host instance id, ...).
  virtual Result<std::optional<std::string>> get_meta(const std::string& key) = 0;
  virtual Status set_meta(const std::string& key, const std::string& value) = 0;
};

}  // namespace ephemera::store
