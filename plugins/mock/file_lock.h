// An exclusive flock(2) on a lock file, held for one read-modify-write of the
// state directory. flock locks belong to the open file description, so two
// instances in one process exclude each other as well as two processes do.
#pragma once

#include "mock/result.h"

#include <filesystem>

namespace ephemera::mock {

class FileLock {
 public:
  // Blocks until the lock is held. Errors are EPH_UNAVAILABLE.
  static Result<FileLock> acquire(const std::filesystem::path& path);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// "open /x: No such file or directory" — errno rendered for messages.
std::string errno_message(std::string_view what, const std::filesystem::path& path, int error);

}  // namespace ephemera::mock
