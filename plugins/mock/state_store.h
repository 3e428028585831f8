// The simulated backend's storage: one JSON file per resource under
// <state_dir>/resources/, written atomically (temp file + rename) so readers
// in this or another process never see half a file. Readers take no lock and
// tolerate files vanishing; read-modify-write callers hold lock().
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include "mock/file_lock.h"
#include "mock/resource.h"
#include "mock/result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ephemera::mock {

struct Snapshot {
  std::vector<Resource> resources;  // sorted by resource_id
  std::vector<std::string> malformed;  // one message per unreadable file, skipped
};

class StateStore {
 public:
  explicit StateStore(std::filesystem::path state_dir);

  // Creates <state_dir>/resources. A failure leaves the store "unreachable":
  // every later call answers EPH_UNAVAILABLE, like a backend that is down.
  MaybeError prepare() const;

  // <state_dir>/DOWN exists: the simulated backend is down.
  bool backend_down() const;
  std::filesystem::path faults_file() const { return dir_ / "faults.json"; }
  const std::filesystem::path& dir() const { return dir_; }

  Result<Snapshot> load_all() const;
  // nullopt when no such file (the backend says "not found").
  Result<std::optional<Resource>> load(std::string_view resource_id) const;
  MaybeError save(const Resource& r) const;
  // false when it was already gone.
  Result<bool> remove(std::string_view resource_id) const;
  Result<FileLock> lock() const;

 private:
  std::filesystem::path file_of(std::string_view resource_id) const;

  std::filesystem::path dir_;
  std::filesystem::path resources_;
};

// Reads a whole file; nullopt when it does not exist (ENOENT). Sets
// *mtime_ms when given.
Result<std::optional<std::string>> read_file(const std::filesystem::path& path,
                                             int64_t* mtime_ms = nullptr);

}  // namespace ephemera::mock
