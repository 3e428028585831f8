#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <random>

#include "identity/host_identity.h"
#include "identity/state_dir_lock.h"

using namespace ephemera;
using namespace ephemera::identity;

namespace {
std::filesystem::path temp_dir() {
  auto d = std::filesystem::temp_directory_path() / ("ephemera-id-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(d);
  return d;
}
}  // namespace

TEST_CASE("a second process on the same state dir is refused, naming the holder") {
  auto dir = temp_dir();
  auto lock = StateDirLock::acquire(dir);
  REQUIRE(lock);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto second = StateDirLock::acquire(dir);
    bool names_holder = !second && second.status().message().find("pid " + std::to_string(getppid())) != std::string::npos;
    _exit(names_holder ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  lock.value().reset();
  CHECK(StateDirLock::acquire(dir));  // released with its holder
  std::filesystem::remove_all(dir);
}

TEST_CASE("the instance id is generated once, kept, and a pinned mismatch refuses to start") {
  auto dir = temp_dir();
  std::string first;
  {
    auto store = store::EventStore::open({dir / "s.db"});
    REQUIRE(store);
    auto id = load_instance_id(*store.value(), std::nullopt);
    REQUIRE(id);
    first = id.value();
    CHECK(first.size() == 16);
  }
  auto store = store::EventStore::open({dir / "s.db"});
  REQUIRE(store);
  CHECK(load_instance_id(*store.value(), std::nullopt).value() == first);
  CHECK(load_instance_id(*store.value(), first).value() == first);
  auto wrong = load_instance_id(*store.value(), std::string("someone-else"));
  REQUIRE_FALSE(wrong);
  CHECK_THAT(wrong.status().message(), Catch::Contains("belongs to instance '" + first + "'"));
  std::filesystem::remove_all(dir);
}
