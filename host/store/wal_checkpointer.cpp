#include "store/wal_checkpointer.h"

#include <spdlog/spdlog.h>

#include "store/store_schema.h"

namespace ephemera::store {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::open(const StoreOptions& options) {
  auto db = open_connection(options, ConnectionRole::kReader);
  if (!db) return db.status();
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(*db)));
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<SqliteDb> db) : db_(std::move(db)), thread_([this] { loop(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WalCheckpointer::request() {
  {
    std::lock_guard lock(mu_);
    requested_ = true;
  }
  cv_.notify_one();
}

Status WalCheckpointer::run() {
  std::lock_guard lock(db_mu_);
  return db_->checkpoint_passive();
}

void WalCheckpointer::loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || requested_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    // A failure (I/O, a full disk) leaves the WAL to grow; the next commit asks again.
    if (Status s = run(); !s.is_ok()) spdlog::warn("event store: WAL checkpoint failed: {}", s.to_string());
    lock.lock();
  }
}

}  // namespace ephemera::store
