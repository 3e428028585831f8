#include "mock_fixture.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace ephemera::mock;
using namespace ephemera::mock::test;
using ephemera::sdk::Reply;

namespace {

Reply validate(const std::string& settings_members) {
  return MockProvider::validate_config(config_json("/nonexistent/mock-state", settings_members));
}

void require_invalid_at(const Reply& r, const std::string& pointer) {
  INFO(r.message);
  REQUIRE(r.status == EPH_INVALID_ARGUMENT);
  CHECK(pointer_of(r) == pointer);
  CHECK(parse(r.payload).at("schema").as_int64() == 1);
  CHECK(r.message.find(pointer) != std::string::npos);
}

}  // namespace

TEST_CASE("a minimal config is valid and validation does no I/O", "[mock][config]") {
  Reply r = validate("");
  INFO(r.message);
  CHECK(r.status == EPH_OK);
  CHECK_FALSE(std::filesystem::exists("/nonexistent/mock-state"));
}

TEST_CASE("every documented settings key is accepted", "[mock][config]") {
  Reply r = validate(R"("start_delay_ms": 250, "watch_interval_ms": 20, "thread_safe": false,
      "max_concurrency": 2, "page_size": 10, "default_user": "1000",
      "default_resources": {"cpu_millis": 500, "memory_bytes": 1048576, "pids": 64},
      "faults": {"create": {"latency_ms": 5, "fail_nth": 3, "fail_first": 1, "fail_every": 4,
                            "fail_fraction": 0.2, "seed": 7, "status": "RESOURCE_EXHAUSTED",
                            "retry_after_ms": 100, "after_success": false},
                 "get": {}, "list": {}, "stop": {}, "destroy": {}, "harden": {}, "health": {}})");
  INFO(r.message);
  CHECK(r.status == EPH_OK);
}

TEST_CASE("the state directory falls back to the provider's state_dir", "[mock][config]") {
  TempDir dir;
  Result<MockConfig> c = parse_config(R"({"schema":1,"state_dir":")" + dir.path().string() + R"("})");
  REQUIRE(c.ok());
  CHECK(c->state_dir == dir.path());
  Result<MockConfig> none = parse_config(R"({"schema":1,"settings":{}})");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().pointer == "/settings/state_dir");
}

TEST_CASE("unknown settings keys are named by their JSON pointer", "[mock][config]") {
  require_invalid_at(validate(R"("bogus": 1)"), "/settings/bogus");
  require_invalid_at(validate(R"("faults": {"create": {"fail_nthh": 3}})"),
                     "/settings/faults/create/fail_nthh");
  require_invalid_at(validate(R"("faults": {"creat": {}})"), "/settings/faults/creat");
  require_invalid_at(validate(R"("default_resources": {"cpu": 1})"),
                     "/settings/default_resources/cpu");
}

TEST_CASE("a near-miss key gets a suggestion", "[mock][config]") {
  Reply r = validate(R"("watch_intervl_ms": 10)");
  REQUIRE(r.status == EPH_INVALID_ARGUMENT);
  CHECK(r.message.find("did you mean 'watch_interval_ms'") != std::string::npos);
}

TEST_CASE("wrong types and ranges are named by their JSON pointer", "[mock][config]") {
  require_invalid_at(validate(R"("start_delay_ms": "100")"), "/settings/start_delay_ms");
  require_invalid_at(validate(R"("start_delay_ms": -1)"), "/settings/start_delay_ms");
  require_invalid_at(validate(R"("thread_safe": 1)"), "/settings/thread_safe");
  require_invalid_at(validate(R"("watch_interval_ms": 0)"), "/settings/watch_interval_ms");
  require_invalid_at(validate(R"("max_concurrency": 0)"), "/settings/max_concurrency");
  require_invalid_at(validate(R"("state_dir": 5)"), "/settings/state_dir");
  require_invalid_at(validate(R"("default_user": "root")"), "/settings/default_user");
  require_invalid_at(validate(R"("faults": {"create": {"fail_nth": "3"}})"),
                     "/settings/faults/create/fail_nth");
  require_invalid_at(validate(R"("faults": {"create": {"fail_fraction": 1.5}})"),
                     "/settings/faults/create/fail_fraction");
  require_invalid_at(validate(R"("faults": {"get": {"status": "NOPE"}})"),
                     "/settings/faults/get/status");
  require_invalid_at(validate(R"("faults": [])"), "/settings/faults");
  require_invalid_at(validate(R"("faults": {"stop": 3})"), "/settings/faults/stop");
  require_invalid_at(validate(R"("default_resources": {"pids": 0})"),
                     "/settings/default_resources/pids");
}

TEST_CASE("malformed config documents are INVALID_ARGUMENT", "[mock][config]") {
  CHECK(MockProvider::validate_config("{").status == EPH_INVALID_ARGUMENT);
  CHECK(MockProvider::validate_config("[]").status == EPH_INVALID_ARGUMENT);
  CHECK(MockProvider::validate_config("").status == EPH_INVALID_ARGUMENT);
  Reply no_schema = MockProvider::validate_config(R"({"state_dir":"/x"})");
  CHECK(no_schema.status == EPH_INVALID_ARGUMENT);
  CHECK(pointer_of(no_schema) == "/schema");
  Reply schema2 = MockProvider::validate_config(R"({"schema":2,"state_dir":"/x"})");
  CHECK(schema2.status == EPH_INVALID_ARGUMENT);
  CHECK(pointer_of(schema2) == "/schema");
  require_invalid_at(MockProvider::validate_config(R"({"schema":1,"state_dir":"/x","settings":[]})"),
                     "/settings");
}

TEST_CASE("open refuses an invalid config and creates no instance", "[mock][config]") {
  FakeHost host;
  std::unique_ptr<MockProvider> p;
  Reply r = MockProvider::open(host.host(), config_json("/tmp/x", R"("bogus": true)"), p);
  CHECK(r.status == EPH_INVALID_ARGUMENT);
  CHECK(p == nullptr);
}

TEST_CASE("open succeeds while the backend is down", "[mock][config]") {
  TempDir dir;
  std::ofstream(dir.path() / "DOWN") << "\n";
  FakeHost host;
  std::unique_ptr<MockProvider> p;
  REQUIRE(MockProvider::open(host.host(), config_json(dir.path()), p).status == EPH_OK);
  FakeCall c;
  Reply health = p->health(c.call(host));
  CHECK(health.status == EPH_UNAVAILABLE);
  CHECK(parse(health.payload).at("healthy").as_bool() == false);
}

TEST_CASE("open succeeds when the state directory cannot be created; ops are UNAVAILABLE",
          "[mock][config]") {
  TempDir dir;
  std::ofstream(dir.path() / "a-file") << "not a directory\n";
  FakeHost host;
  std::unique_ptr<MockProvider> p;
  REQUIRE(MockProvider::open(host.host(), config_json(dir.path() / "a-file" / "state"), p).status ==
          EPH_OK);
  FakeCall c;
  CHECK(p->health(c.call(host)).status == EPH_UNAVAILABLE);
  CHECK(p->list(c.call(host), selector_json("")).status == EPH_UNAVAILABLE);
  CHECK(p->create(c.call(host), spec_json("a", "w-a")).status == EPH_UNAVAILABLE);
}

TEST_CASE("capabilities report thread_safe and max_concurrency", "[mock][config]") {
  MockFixture f;
  json::object caps = parse(f.provider().capabilities().payload);
  CHECK(caps.at("schema").as_int64() == 1);
  CHECK(caps.at("thread_safe").as_bool() == true);
  CHECK(caps.at("max_concurrency").as_int64() == 8);
  CHECK(caps.at("stop_keeps_resource").as_bool() == true);
  CHECK(caps.at("watch").as_bool() == true);
  f.reopen(R"("thread_safe": false, "max_concurrency": 3)");
  caps = parse(f.provider().capabilities().payload);
  CHECK(caps.at("thread_safe").as_bool() == false);
  CHECK(caps.at("max_concurrency").as_int64() == 3);
}
