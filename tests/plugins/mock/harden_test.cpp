#include "mock_fixture.h"

#include <catch2/catch.hpp>

using namespace ephemera::mock;
using namespace ephemera::mock::test;
using ephemera::sdk::Reply;

namespace {

std::string with(const std::string& members) {
  return R"({"schema":1,"worker_id":"w-1","name":"eph-w-1","labels":{"ephemera.dev/worker-id":"w-1"},"image":"img")" +
         (members.empty() ? "" : "," + members) + "}";
}

std::string harden_ok(MockFixture& f, const std::string& spec) {
  Reply r = f.provider().harden(f.call(), spec);
  INFO(r.message);
  REQUIRE(r.status == EPH_OK);
  return r.payload;
}

}  // namespace

TEST_CASE("harden refuses privileged workers", "[mock][harden]") {
  MockFixture f;
  Reply r = f.provider().harden(f.call(), with(R"("privileged": true)"));
  CHECK(r.status == EPH_INVALID_ARGUMENT);
  CHECK(pointer_of(r) == "/privileged");
  Reply created = f.provider().create(f.call(), with(R"("privileged": true)"));
  CHECK(created.status == EPH_INVALID_ARGUMENT);
  CHECK(parse(f.list().payload).at("items").as_array().empty());
  CHECK(f.provider().harden(f.call(), with(R"("privileged": false)")).status == EPH_OK);
}

TEST_CASE("harden forces a non-root user", "[mock][harden]") {
  MockFixture f;
  auto user_of = [&](const std::string& members) {
    return std::string(parse(harden_ok(f, with(members))).at("user").as_string());
  };
  CHECK(user_of("") == "65532");
  CHECK(user_of(R"("user": "0")") == "65532");
  CHECK(user_of(R"("user": "root")") == "65532");
  CHECK(user_of(R"("user": "0:0")") == "65532");
  CHECK(user_of(R"("user": "")") == "65532");
  CHECK(user_of(R"("user": "1000")") == "1000");
  CHECK(user_of(R"("user": "1000:1000")") == "1000:1000");
  f.reopen(R"("default_user": "4242")");
  CHECK(user_of(R"("user": "root")") == "4242");
}

TEST_CASE("harden fills default limits and keeps explicit ones", "[mock][harden]") {
  MockFixture f(R"("default_resources": {"cpu_millis": 250, "memory_bytes": 1000, "pids": 10})");
  json::object defaulted = parse(harden_ok(f, with("")));
  CHECK(defaulted.at("resources").at("cpu_millis").as_int64() == 250);
  CHECK(defaulted.at("resources").at("memory_bytes").as_int64() == 1000);
  CHECK(defaulted.at("resources").at("pids").as_int64() == 10);
  json::object kept = parse(harden_ok(f, with(R"("resources": {"cpu_millis": 2000})")));
  CHECK(kept.at("resources").at("cpu_millis").as_int64() == 2000);
  CHECK(kept.at("resources").at("pids").as_int64() == 10);
}

TEST_CASE("harden keeps everything else in the spec", "[mock][harden]") {
  MockFixture f;
  json::object out = parse(harden_ok(f, spec_json("eph-w", "w-w", R"("run_ms": 5)")));
  CHECK(out.at("env").at("JOB_TOKEN").as_string() == "s3cret");
  CHECK(out.at("command").as_array().size() == 3);
  CHECK(out.at("extensions").at("mock").at("run_ms").as_int64() == 5);
  CHECK(out.at("schema").as_int64() == 1);
}

TEST_CASE("harden is idempotent", "[mock][harden]") {
  MockFixture f;
  for (const std::string& spec :
       {with(""), with(R"("user": "root")"), with(R"("user": "1000", "privileged": false)"),
        with(R"("resources": {"pids": 5}, "user": "0")"), spec_json("eph-x", "w-x", R"("run_ms": 1)")}) {
    std::string once = harden_ok(f, spec);
    CHECK(harden_ok(f, once) == once);
  }
}

TEST_CASE("harden rejects wrong member types with a pointer", "[mock][harden]") {
  MockFixture f;
  Reply r = f.provider().harden(f.call(), with(R"("resources": {"cpu_millis": "lots"})"));
  CHECK(r.status == EPH_INVALID_ARGUMENT);
  CHECK(pointer_of(r) == "/resources/cpu_millis");
  CHECK(pointer_of(f.provider().harden(f.call(), with(R"("user": 0)"))) == "/user");
  CHECK(pointer_of(f.provider().harden(f.call(), with(R"("privileged": "yes")"))) == "/privileged");
}
