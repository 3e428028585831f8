#include "mock/state_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace ephemera::mock {
namespace {

constexpr std::string_view kSuffix = ".json";

MaybeError write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unavailable(errno_message("write", path, errno));
    data.remove_prefix(static_cast<size_t>(n));
  }
  return std::nullopt;
}

// "abc.json" -> "abc"; nullopt for temp files and anything else.
std::optional<std::string> resource_stem(const std::filesystem::path& file) {
  std::string name = file.filename().string();
  if (name.empty() || name.front() == '.' || name.size() <= kSuffix.size() ||
      !name.ends_with(kSuffix))
    return std::nullopt;
  return name.substr(0, name.size() - kSuffix.size());
}

}  // namespace

Result<std::optional<std::string>> read_file(const std::filesystem::path& path, int64_t* mtime_ms) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::optional<std::string>();
  if (fd < 0) return unavailable(errno_message("open", path, errno));
  struct stat st {};
  if (mtime_ms != nullptr && ::fstat(fd, &st) == 0)
    *mtime_ms = int64_t(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  std::string text;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      return unavailable(errno_message("read", path, error));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return std::optional<std::string>(std::move(text));
}

StateStore::StateStore(std::filesystem::path state_dir)
    : dir_(std::move(state_dir)), resources_(dir_ / "resources") {}

std::filesystem::path StateStore::file_of(std::string_view resource_id) const {
  return resources_ / (std::string(resource_id) + std::string(kSuffix));
}

MaybeError StateStore::prepare() const {
  std::error_code ec;
  std::filesystem::create_directories(resources_, ec);
  if (ec) return unavailable("create " + resources_.string() + ": " + ec.message());
  return std::nullopt;
}

bool StateStore::backend_down() const {
  std::error_code ec;
  return std::filesystem::exists(dir_ / "DOWN", ec);
}

Result<FileLock> StateStore::lock() const { return FileLock::acquire(dir_ / ".mock.lock"); }

Result<std::optional<Resource>> StateStore::load(std::string_view resource_id) const {
  int64_t mtime_ms = 0;
  auto text = read_file(file_of(resource_id), &mtime_ms);
  if (!text.ok()) return text.error();
  if (!text.value()) return std::optional<Resource>();
  Result<Resource> r = resource_from_json(*text.value(), resource_id, mtime_ms);
  if (!r.ok())
    return Error{EPH_INTERNAL, file_of(resource_id).string() + ": " + r.error().message, {}, -1};
  return std::optional<Resource>(std::move(r.value()));
}

Result<Snapshot> StateStore::load_all() const {
  std::error_code ec;
  std::filesystem::directory_iterator it(resources_, ec);
  if (ec) return unavailable("list " + resources_.string() + ": " + ec.message());
  Snapshot snap;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::optional<std::string> stem = resource_stem(it->path());
    if (!stem) continue;
    if (!is_valid_resource_id(*stem)) {
      snap.malformed.push_back(it->path().string() + ": not a valid resource id");
      continue;
    }
    Result<std::optional<Resource>> r = load(*stem);
    if (!r.ok() && r.error().status == EPH_INTERNAL) snap.malformed.push_back(r.error().message);
    if (!r.ok() && r.error().status != EPH_INTERNAL) return r.error();
    if (r.ok() && r.value()) snap.resources.push_back(std::move(*r.value()));
  }
  if (ec) return unavailable("list " + resources_.string() + ": " + ec.message());
  std::sort(snap.resources.begin(), snap.resources.end(),
            [](const Resource& a, const Resource& b) { return a.resource_id < b.resource_id; });
  return snap;
}

MaybeError StateStore::save(const Resource& r) const {
  std::string tmpl = (resources_ / ("." + r.resource_id + ".json.XXXXXX")).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return unavailable(errno_message("create temp file in", resources_, errno));
  ::fchmod(fd, 0644);  // mkstemp makes 0600; other tools read these files too
  MaybeError e = write_all(fd, resource_to_json(r), tmpl);
  if (::close(fd) != 0 && !e) e = unavailable(errno_message("close", tmpl, errno));
  if (!e && ::rename(tmpl.c_str(), file_of(r.resource_id).c_str()) != 0)
    e = unavailable(errno_message("rename", tmpl, errno));
  if (e) ::unlink(tmpl.c_str());
  return e;
}

Result<bool> StateStore::remove(std::string_view resource_id) const {
  if (::unlink(file_of(resource_id).c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  return unavailable(errno_message("remove", file_of(resource_id), errno));
}

}  // namespace ephemera::mock
