// StateDirLock: the running host holds an exclusive flock on
// <state_dir>/ephemerad.lock for as long as it runs, so a second ephemerad
// on the same state dir refuses to start instead of claiming the same
// workers twice. The lock file names its holder (pid) for the message.
#pragma once

#include <filesystem>
#include <memory>

#include "common/status.h"

namespace ephemera::identity {

class StateDirLock {
 public:
  // FAILED_PRECONDITION-like ABORTED when another process holds it, naming
  // the holder's pid; UNAVAILABLE when the file cannot be opened.
  static Result<std::unique_ptr<StateDirLock>> acquire(const std::filesystem::path& state_dir);
  ~StateDirLock();
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;

 private:
  explicit StateDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace ephemera::identity
