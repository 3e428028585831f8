// Simulated workers on the fake clock: nothing here sleeps.
#include "mock_fixture.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace ephemera::mock;
using namespace ephemera::mock::test;
using ephemera::sdk::Reply;
using std::chrono::milliseconds;

namespace {

json::object info_of(MockFixture& f, const std::string& id) {
  Reply r = f.get(id);
  INFO(r.message);
  REQUIRE(r.status == EPH_OK);
  return parse(r.payload);
}

std::string state_of(MockFixture& f, const std::string& id) {
  return std::string(info_of(f, id).at("state").as_string());
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("create answers the worker info of a running worker", "[mock][lifecycle]") {
  MockFixture f;
  Reply r = f.create("eph-lab-w1", "", R"("team":"ci")");
  REQUIRE(r.status == EPH_OK);
  json::object info = parse(r.payload);
  CHECK(info.at("schema").as_int64() == 1);
  CHECK(info.at("name").as_string() == "eph-lab-w1");
  CHECK(info.at("worker_id").as_string() == "w-eph-lab-w1");
  CHECK(info.at("labels").at("team").as_string() == "ci");
  CHECK(info.at("labels").at("ephemera.dev/worker-id").as_string() == "w-eph-lab-w1");
  CHECK(info.at("created_at_ms").as_int64() == FakeHost::kStartMs);
  CHECK(info.at("started_at_ms").as_int64() == FakeHost::kStartMs);
  CHECK(info.at("state").as_string() == "running");
  CHECK_FALSE(info.contains("exit_code"));
}

TEST_CASE("a worker starts after start_delay_ms of host time", "[mock][lifecycle]") {
  MockFixture f(R"("start_delay_ms": 1000)");
  std::string id = f.create_ok("w1");
  CHECK(state_of(f, id) == "pending");
  CHECK_FALSE(info_of(f, id).contains("started_at_ms"));
  f.host.advance(milliseconds(999));
  CHECK(state_of(f, id) == "pending");
  f.host.advance(milliseconds(1));
  CHECK(state_of(f, id) == "running");
  CHECK(info_of(f, id).at("started_at_ms").as_int64() == FakeHost::kStartMs + 1000);

  SECTION("the spec can override the delay") {
    std::string quick = f.create_ok("w2", R"("start_delay_ms": 0)");
    CHECK(state_of(f, quick) == "running");
  }
}

TEST_CASE("a worker finishes by itself after run_ms with its exit code", "[mock][lifecycle]") {
  MockFixture f;
  std::string failing = f.create_ok("w1", R"("run_ms": 5000, "exit_code": 3)");
  std::string ok = f.create_ok("w2", R"("run_ms": 5000)");
  std::string oom = f.create_ok("w3", R"("run_ms": 100, "exit_code": 137, "exit_reason": "oom")");
  std::string forever = f.create_ok("w4");
  f.host.advance(milliseconds(4999));
  CHECK(state_of(f, failing) == "running");
  f.host.advance(milliseconds(1));
  json::object info = info_of(f, failing);
  CHECK(info.at("state").as_string() == "exited");
  CHECK(info.at("exit_code").as_int64() == 3);
  CHECK(info.at("reason").as_string() == "error");
  CHECK(info.at("finished_at_ms").as_int64() == FakeHost::kStartMs + 5000);
  CHECK(info_of(f, ok).at("exit_code").as_int64() == 0);
  CHECK(info_of(f, ok).at("reason").as_string() == "completed");
  CHECK(info_of(f, oom).at("reason").as_string() == "oom");
  f.host.advance(milliseconds(365LL * 24 * 3600 * 1000));
  CHECK(state_of(f, forever) == "running");
}

TEST_CASE("get and list have no side effects", "[mock][lifecycle]") {
  MockFixture f;
  std::string id = f.create_ok("w1", R"("run_ms": 10)");
  std::string before = slurp(f.resource_file(id));
  auto mtime = std::filesystem::last_write_time(f.resource_file(id));
  f.host.advance(milliseconds(50));
  CHECK(state_of(f, id) == "exited");
  CHECK(f.list().status == EPH_OK);
  CHECK(slurp(f.resource_file(id)) == before);
  CHECK(std::filesystem::last_write_time(f.resource_file(id)) == mtime);
}

TEST_CASE("stop keeps the resource with exit 143 when SIGTERM is handled", "[mock][lifecycle]") {
  MockFixture f;
  std::string id = f.create_ok("w1");
  f.host.advance(milliseconds(100));
  Reply r = f.stop(id, 30'000);
  REQUIRE(r.status == EPH_OK);
  json::object info = parse(r.payload);
  CHECK(info.at("state").as_string() == "exited");
  CHECK(info.at("exit_code").as_int64() == 143);
  CHECK(info.at("reason").as_string() == "stopped");
  f.host.advance(milliseconds(3'600'000));
  CHECK(info_of(f, id).at("exit_code").as_int64() == 143);
  SECTION("a second stop is a no-op") {
    REQUIRE(f.stop(id, 0).status == EPH_OK);
    CHECK(info_of(f, id).at("finished_at_ms").as_int64() == FakeHost::kStartMs + 100);
  }
}

TEST_CASE("ignore_sigterm waits the whole grace, then exits 137 killed", "[mock][lifecycle]") {
  MockFixture f;
  std::string id = f.create_ok("w1", R"("ignore_sigterm": true)");
  REQUIRE(f.stop(id, 10'000).status == EPH_OK);
  CHECK(state_of(f, id) == "running");
  f.host.advance(milliseconds(9'999));
  CHECK(state_of(f, id) == "running");
  SECTION("grace expires") {
    f.host.advance(milliseconds(1));
    json::object info = info_of(f, id);
    CHECK(info.at("state").as_string() == "exited");
    CHECK(info.at("exit_code").as_int64() == 137);
    CHECK(info.at("reason").as_string() == "killed");
  }
  SECTION("a later stop with a shorter grace kills sooner") {
    REQUIRE(f.stop(id, 0).status == EPH_OK);
    CHECK(info_of(f, id).at("exit_code").as_int64() == 137);
  }
}

TEST_CASE("a worker finishing during the grace keeps its own exit code", "[mock][lifecycle]") {
  MockFixture f;
  std::string id = f.create_ok("w1", R"("ignore_sigterm": true, "run_ms": 1000, "exit_code": 0)");
  REQUIRE(f.stop(id, 10'000).status == EPH_OK);
  f.host.advance(milliseconds(20'000));
  CHECK(info_of(f, id).at("exit_code").as_int64() == 0);
  CHECK(info_of(f, id).at("reason").as_string() == "completed");
}

TEST_CASE("stopping a pending worker ends it before it started", "[mock][lifecycle]") {
  MockFixture f(R"("start_delay_ms": 5000)");
  std::string id = f.create_ok("w1");
  json::object info = parse(f.stop(id, 1000).payload);
  CHECK(info.at("state").as_string() == "exited");
  CHECK(info.at("exit_code").as_int64() == 143);
  CHECK_FALSE(info.contains("started_at_ms"));
}

TEST_CASE("stop and destroy of a missing resource answer NOT_FOUND", "[mock][lifecycle]") {
  MockFixture f;
  CHECK(f.stop("0123456789abcdef", 0).status == EPH_NOT_FOUND);
  CHECK(f.destroy("0123456789abcdef").status == EPH_NOT_FOUND);
  CHECK(f.get("0123456789abcdef").status == EPH_NOT_FOUND);
}

TEST_CASE("destroy removes the resource; a second destroy says NOT_FOUND", "[mock][lifecycle]") {
  MockFixture f;
  std::string id = f.create_ok("w1");
  CHECK(f.destroy(id).status == EPH_OK);
  CHECK_FALSE(std::filesystem::exists(f.resource_file(id)));
  CHECK(f.get(id).status == EPH_NOT_FOUND);
  CHECK(f.destroy(id).status == EPH_NOT_FOUND);
}

TEST_CASE("get, stop and destroy accept a name instead of a resource_id", "[mock][lifecycle]") {
  MockFixture f;
  std::string id = f.create_ok("by-name");
  Reply got = f.provider().get(f.call(), ref_name("by-name"));
  REQUIRE(got.status == EPH_OK);
  CHECK(parse(got.payload).at("resource_id").as_string() == id);
  CHECK(f.provider().stop(f.call(), ref_name("by-name"), milliseconds(0)).status == EPH_OK);
  CHECK(f.provider().destroy(f.call(), ref_name("by-name"), milliseconds(0), true).status == EPH_OK);
  CHECK(f.provider().get(f.call(), ref_name("by-name")).status == EPH_NOT_FOUND);
}

TEST_CASE("fail_start makes a resource that exits with start_failed", "[mock][lifecycle]") {
  MockFixture f(R"("start_delay_ms": 200)");
  std::string id = f.create_ok("w1", R"("fail_start": true)");
  CHECK(state_of(f, id) == "pending");
  f.host.advance(milliseconds(200));
  json::object info = info_of(f, id);
  CHECK(info.at("state").as_string() == "exited");
  CHECK(info.at("reason").as_string() == "start_failed");
  CHECK(info.at("exit_code").as_int64() == 128);
  CHECK_FALSE(info.contains("started_at_ms"));
}

TEST_CASE("an image that does not exist fails create and leaves nothing", "[mock][lifecycle]") {
  MockFixture f;
  std::string spec = spec_json("w1", "w-1");
  spec.replace(spec.find("registry.local/runner:3"), 23, "registry.local/does-not-exist:1");
  Reply r = f.provider().create(f.call(), spec);
  CHECK(r.status == EPH_INVALID_ARGUMENT);
  CHECK(pointer_of(r) == "/image");
  CHECK(parse(f.list().payload).at("items").as_array().empty());
}

TEST_CASE("create is idempotent per name", "[mock][lifecycle]") {
  MockFixture f;
  std::string id = f.create_ok("eph-w1");
  SECTION("same worker id adopts the existing resource") {
    Reply again = f.create("eph-w1");
    REQUIRE(again.status == EPH_OK);
    CHECK(parse(again.payload).at("resource_id").as_string() == id);
    CHECK(parse(f.list().payload).at("items").as_array().size() == 1);
  }
  SECTION("another worker's name is ALREADY_EXISTS") {
    Reply other = f.provider().create(f.call(), spec_json("eph-w1", "w-someone-else"));
    CHECK(other.status == EPH_ALREADY_EXISTS);
    CHECK_FALSE(other.message.empty());
  }
  SECTION("after destroy the name makes a new resource") {
    REQUIRE(f.destroy(id).status == EPH_OK);
    CHECK(f.create_ok("eph-w1") != id);
  }
}

TEST_CASE("stop refuses a negative grace", "[mock][lifecycle]") {
  MockFixture f;
  std::string id = f.create_ok("w1");
  CHECK(f.stop(id, -1).status == EPH_INVALID_ARGUMENT);
}

TEST_CASE("the resource file never holds env values", "[mock][lifecycle]") {
  MockFixture f;
  std::string id = f.create_ok("w1");
  CHECK(slurp(f.resource_file(id)).find("s3cret") == std::string::npos);
  for (const std::string& line : f.host.logs()) CHECK(line.find("s3cret") == std::string::npos);
}
