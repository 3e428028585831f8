// Bad input gets EPH_INVALID_ARGUMENT, never a crash.
#include "mock_fixture.h"

#include <catch2/catch.hpp>

using namespace ephemera::mock;
using namespace ephemera::mock::test;
using ephemera::sdk::Reply;
using std::chrono::milliseconds;

namespace {

const std::vector<std::string> kBadDocuments = {
    "", "{", "[]", "null", "42", "\"text\"", "{}", R"({"schema":2})", R"({"schema":"1"})",
    R"({"schema":1.0})", std::string("{\"schema\":1,\0}", 14)};

}  // namespace

TEST_CASE("malformed documents and unknown schemas are INVALID_ARGUMENT on every op",
          "[mock][input]") {
  MockFixture f;
  MockProvider& p = f.provider();
  for (const std::string& doc : kBadDocuments) {
    INFO("document: " << doc);
    CHECK(p.create(f.call(), doc).status == EPH_INVALID_ARGUMENT);
    CHECK(p.get(f.call(), doc).status == EPH_INVALID_ARGUMENT);
    CHECK(p.list(f.call(), doc).status == EPH_INVALID_ARGUMENT);
    CHECK(p.stop(f.call(), doc, milliseconds(0)).status == EPH_INVALID_ARGUMENT);
    CHECK(p.destroy(f.call(), doc, milliseconds(0), false).status == EPH_INVALID_ARGUMENT);
    CHECK(p.harden(f.call(), doc).status == EPH_INVALID_ARGUMENT);
  }
}

TEST_CASE("wrong member types in a spec are named by pointer", "[mock][input]") {
  MockFixture f;
  auto pointer = [&](const std::string& spec) {
    Reply r = f.provider().create(f.call(), spec);
    CHECK(r.status == EPH_INVALID_ARGUMENT);
    return pointer_of(r);
  };
  CHECK(pointer(R"({"schema":1,"worker_id":"w","image":"i"})") == "/name");
  CHECK(pointer(R"({"schema":1,"name":"Not_A_Name","worker_id":"w"})") == "/name");
  CHECK(pointer(R"({"schema":1,"name":7})") == "/name");
  CHECK(pointer(R"({"schema":1,"name":"a","labels":[]})") == "/labels");
  CHECK(pointer(R"({"schema":1,"name":"a","labels":{"team":5}})") == "/labels/team");
  CHECK(pointer(R"({"schema":1,"name":"a","labels":{"a/b":5}})") == "/labels/a~1b");
  CHECK(pointer(R"({"schema":1,"name":"a","worker_id":"w","labels":{"ephemera.dev/worker-id":"v"}})") ==
        "/worker_id");
  CHECK(pointer(spec_json("a", "w", R"("run_ms": "soon")")) == "/extensions/mock/run_ms");
  CHECK(pointer(spec_json("a", "w", R"("run_ms": -5)")) == "/extensions/mock/run_ms");
  CHECK(pointer(spec_json("a", "w", R"("exit_code": 300)")) == "/extensions/mock/exit_code");
  CHECK(pointer(spec_json("a", "w", R"("fail_strat": true)")) == "/extensions/mock/fail_strat");
  CHECK(pointer(R"({"schema":1,"name":"a","extensions":{"mock":1}})") == "/extensions/mock");
  CHECK(parse(f.list().payload).at("items").as_array().empty());
}

TEST_CASE("other plugins' extensions are ignored", "[mock][input]") {
  MockFixture f;
  Reply r = f.provider().create(
      f.call(), R"({"schema":1,"name":"a","worker_id":"w","extensions":{"docker":{"anything":[1]}},"future_member":{"x":1}})");
  INFO(r.message);
  CHECK(r.status == EPH_OK);
}

TEST_CASE("bad references and selectors are INVALID_ARGUMENT", "[mock][input]") {
  MockFixture f;
  CHECK(f.provider().get(f.call(), R"({"schema":1})").status == EPH_INVALID_ARGUMENT);
  CHECK(pointer_of(f.provider().get(f.call(), R"({"schema":1,"resource_id":5})")) == "/resource_id");
  CHECK(pointer_of(f.provider().get(f.call(), R"({"schema":1,"resource_id":"../../etc/passwd"})")) ==
        "/resource_id");
  CHECK(pointer_of(f.provider().list(f.call(), R"({"schema":1,"limit":"ten"})")) == "/limit");
  CHECK(pointer_of(f.provider().list(f.call(), R"({"schema":1,"labels":{"a":1}})")) == "/labels/a");
  CHECK(f.provider().list(f.call(), R"({"schema":1})").status == EPH_OK);
}

TEST_CASE("bad input is INVALID_ARGUMENT even while the backend is down or slow", "[mock][input]") {
  MockFixture f(R"("faults": {"get": {"latency_ms": 5000}, "create": {"fail_first": 100}})");
  f.backend_down(true);
  CHECK(f.provider().get(f.call(), "{").status == EPH_INVALID_ARGUMENT);
  CHECK(f.provider().create(f.call(), R"({"schema":1,"name":"a","privileged":true})").status ==
        EPH_INVALID_ARGUMENT);
  f.backend_down(false);
  auto t0 = std::chrono::steady_clock::now();
  CHECK(f.provider().get(f.call(), R"({"schema":7})").status == EPH_INVALID_ARGUMENT);
  CHECK(std::chrono::steady_clock::now() - t0 < milliseconds(1000));
}
