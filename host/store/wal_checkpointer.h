// WalCheckpointer: copies the WAL back into the database off the commit
// path. The writer's commits only signal it once the WAL has grown past a
// threshold; its own connection then runs a PASSIVE checkpoint, which waits
// for no reader and never holds up the writer. Without it SQLite would
// checkpoint inside a commit, on the writer thread, every ~1000 pages.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "store/event_store.h"
#include "store/sqlite_db.h"

namespace ephemera::store {

class WalCheckpointer {
 public:
  // The WAL size (pages) past which a commit asks for a checkpoint.
  static constexpr int kWalPages = 1000;

  static Result<std::unique_ptr<WalCheckpointer>> open(const StoreOptions& options);
  ~WalCheckpointer();  // stops the background thread

  // Never blocks: a checkpoint will run soon (requests coalesce).
  void request();
  // Runs one now, on the caller's thread.
  Status run();

 private:
  explicit WalCheckpointer(std::unique_ptr<SqliteDb> db);
  void loop();

  std::mutex db_mu_;
  std::unique_ptr<SqliteDb> db_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace ephemera::store
