// The watch thread runs in real time (watch_interval_ms), so these tests wait
// on the push queue with a timeout; worker state still follows the fake clock.
#include "mock_fixture.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace ephemera::mock;
using namespace ephemera::mock::test;
using ephemera::sdk::Reply;
using std::chrono::milliseconds;

namespace {

const std::string kFast = R"("watch_interval_ms": 10)";

std::function<bool(const json::object&)> push_of(const std::string& id, const std::string& state) {
  return [=](const json::object& info) {
    return info.at("resource_id").as_string() == id && info.at("state").as_string() == state;
  };
}

}  // namespace

TEST_CASE("watch pushes start, exit and removal", "[mock][watch]") {
  MockFixture f(kFast + R"(, "start_delay_ms": 1000)");
  REQUIRE(f.provider().watch_start().status == EPH_OK);
  std::string id = f.create_ok("w1", R"("run_ms": 5000, "exit_code": 9)");
  CHECK(f.host.wait_for_push(push_of(id, "pending")));
  f.host.advance(milliseconds(1000));
  CHECK(f.host.wait_for_push(push_of(id, "running")));
  f.host.advance(milliseconds(5000));
  CHECK(f.host.wait_for_push([&](const json::object& info) {
    return push_of(id, "exited")(info) && info.at("exit_code").as_int64() == 9;
  }));
  REQUIRE(f.destroy(id).status == EPH_OK);
  CHECK(f.host.wait_for_push([&](const json::object& info) {
    return push_of(id, "gone")(info) && info.at("name").as_string() == "w1" &&
           info.at("worker_id").as_string() == "w-w1" && !info.contains("exit_code");
  }));
  REQUIRE(f.provider().watch_stop().status == EPH_OK);
}

TEST_CASE("watch pushes a stop", "[mock][watch]") {
  MockFixture f(kFast);
  std::string id = f.create_ok("w1");
  REQUIRE(f.provider().watch_start().status == EPH_OK);
  REQUIRE(f.stop(id, 0).status == EPH_OK);
  CHECK(f.host.wait_for_push([&](const json::object& info) {
    return push_of(id, "exited")(info) && info.at("exit_code").as_int64() == 143;
  }));
  f.provider().watch_stop();
}

TEST_CASE("watch pushes changes another process made to the directory", "[mock][watch]") {
  MockFixture f(kFast);
  REQUIRE(f.provider().watch_start().status == EPH_OK);
  write_file_atomically(f.dir() / "resources" / "planted.json",
                        R"({"schema":1,"labels":{"ephemera.dev/instance":"i-1"}})");
  CHECK(f.host.wait_for_push(push_of("planted", "running")));
  std::filesystem::remove(f.dir() / "resources" / "planted.json");
  CHECK(f.host.wait_for_push(push_of("planted", "gone")));
  f.provider().watch_stop();
}

TEST_CASE("resources present at watch_start are not pushed until they change", "[mock][watch]") {
  MockFixture f(kFast);
  std::string id = f.create_ok("w1", R"("run_ms": 100)");
  REQUIRE(f.provider().watch_start().status == EPH_OK);
  std::this_thread::sleep_for(milliseconds(100));
  CHECK(f.host.pushes().empty());
  f.host.advance(milliseconds(100));
  CHECK(f.host.wait_for_push(push_of(id, "exited")));
  f.provider().watch_stop();
}

TEST_CASE("no push after watch_stop returns", "[mock][watch]") {
  MockFixture f(kFast);
  REQUIRE(f.provider().watch_start().status == EPH_OK);
  std::string id = f.create_ok("w1");
  REQUIRE(f.host.wait_for_push(push_of(id, "running")));
  REQUIRE(f.provider().watch_stop().status == EPH_OK);
  size_t pushed = f.host.pushes().size();
  f.create_ok("w2");
  f.stop(id, 0);
  std::this_thread::sleep_for(milliseconds(150));
  CHECK(f.host.pushes().size() == pushed);
  SECTION("and it can start again") {
    REQUIRE(f.provider().watch_start().status == EPH_OK);
    f.create_ok("w3");
    CHECK(f.host.wait_for_push([](const json::object& info) { return info.at("name") == "w3"; }));
    f.provider().watch_stop();
  }
}

TEST_CASE("watch is quiet while the backend is down and asks for a reconcile after",
          "[mock][watch]") {
  MockFixture f(kFast);
  REQUIRE(f.provider().watch_start().status == EPH_OK);
  f.backend_down(true);
  std::this_thread::sleep_for(milliseconds(50));
  write_file_atomically(f.dir() / "resources" / "while-down.json", R"({"schema":1})");
  std::this_thread::sleep_for(milliseconds(50));
  CHECK(f.host.pushes().empty());
  f.backend_down(false);
  CHECK(f.host.wait_for_reconcile());
  CHECK(f.host.wait_for_push(push_of("while-down", "running")));
  f.provider().watch_stop();
}

TEST_CASE("closing an instance with a running watch joins it", "[mock][watch]") {
  MockFixture f(kFast);
  REQUIRE(f.provider().watch_start().status == EPH_OK);
  REQUIRE(f.provider().watch_start().status == EPH_OK);  // a second start is harmless
  f.close();
  size_t pushed = f.host.pushes().size();
  write_file_atomically(f.dir() / "resources" / "late.json", R"({"schema":1})");
  std::this_thread::sleep_for(milliseconds(50));
  CHECK(f.host.pushes().size() == pushed);
}

TEST_CASE("watch_stop without watch_start is harmless", "[mock][watch]") {
  MockFixture f;
  CHECK(f.provider().watch_stop().status == EPH_OK);
}
