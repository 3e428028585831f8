// Every fault knob. Latency tests use real (short) sleeps: latency is the one
// knob that is real time by design.
#include "mock_fixture.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

using namespace ephemera::mock;
using namespace ephemera::mock::test;
using ephemera::sdk::Reply;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<int32_t> get_statuses(MockFixture& f, const std::string& id, int n) {
  std::vector<int32_t> out;
  for (int i = 0; i < n; ++i) out.push_back(f.get(id).status);
  return out;
}

constexpr int32_t OK = EPH_OK;
constexpr int32_t UNAV = EPH_UNAVAILABLE;

}  // namespace

TEST_CASE("latency_ms delays the call in real time", "[mock][faults]") {
  MockFixture f(R"("faults": {"get": {"latency_ms": 120}})");
  std::string id = f.create_ok("w1");
  auto t0 = Clock::now();
  CHECK(f.get(id).status == EPH_OK);
  CHECK(Clock::now() - t0 >= milliseconds(120));
}

TEST_CASE("latency beyond the deadline answers DEADLINE_EXCEEDED just before it, undone",
          "[mock][faults]") {
  MockFixture f(R"("faults": {"create": {"latency_ms": 5000}})");
  auto t0 = Clock::now();
  Reply r = f.provider().create(f.call(100), spec_json("w1", "w-1"));
  auto took = Clock::now() - t0;
  CHECK(r.status == EPH_DEADLINE_EXCEEDED);
  CHECK(took >= milliseconds(90));  // a 10 % margin so the answer beats the host's timer
  CHECK(took < milliseconds(2000));
  f.reopen();
  CHECK(parse(f.list().payload).at("items").as_array().empty());
}

TEST_CASE("latency ends early when the host cancels the call", "[mock][faults]") {
  MockFixture f(R"("faults": {"list": {"latency_ms": 5000}})");
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(50));
    f.call_.cancelled = true;
  });
  auto t0 = Clock::now();
  Reply r = f.provider().list(f.call(60'000), selector_json(""));
  canceller.join();
  CHECK(r.status == EPH_DEADLINE_EXCEEDED);
  CHECK(Clock::now() - t0 < milliseconds(2000));
}

TEST_CASE("fail_nth fails exactly the Nth call", "[mock][faults]") {
  MockFixture f(R"("faults": {"get": {"fail_nth": 3}})");
  std::string id = f.create_ok("w1");
  CHECK(get_statuses(f, id, 5) == std::vector<int32_t>{OK, OK, UNAV, OK, OK});
}

TEST_CASE("fail_first fails the first N calls", "[mock][faults]") {
  MockFixture f(R"("faults": {"get": {"fail_first": 2}})");
  std::string id = f.create_ok("w1");
  CHECK(get_statuses(f, id, 4) == std::vector<int32_t>{UNAV, UNAV, OK, OK});
}

TEST_CASE("fail_every fails every Nth call", "[mock][faults]") {
  MockFixture f(R"("faults": {"get": {"fail_every": 2}})");
  std::string id = f.create_ok("w1");
  CHECK(get_statuses(f, id, 6) == std::vector<int32_t>{OK, UNAV, OK, UNAV, OK, UNAV});
}

TEST_CASE("fail_fraction fails a seeded, reproducible share of calls", "[mock][faults]") {
  const std::string settings = R"("faults": {"get": {"fail_fraction": 0.3, "seed": 42}})";
  MockFixture f(settings);
  std::string id = f.create_ok("w1");
  std::vector<int32_t> first = get_statuses(f, id, 400);
  long failures = std::count(first.begin(), first.end(), UNAV);
  CHECK(failures > 80);
  CHECK(failures < 160);
  f.reopen(settings);
  CHECK(get_statuses(f, id, 400) == first);
  f.reopen(R"("faults": {"get": {"fail_fraction": 0.3, "seed": 43}})");
  CHECK(get_statuses(f, id, 400) != first);
}

TEST_CASE("status chooses the injected code; RESOURCE_EXHAUSTED carries retry_after_ms",
          "[mock][faults]") {
  for (const auto& [name, code] : std::vector<std::pair<std::string, int32_t>>{
           {"UNAVAILABLE", EPH_UNAVAILABLE}, {"DEADLINE_EXCEEDED", EPH_DEADLINE_EXCEEDED},
           {"INTERNAL", EPH_INTERNAL}, {"PERMISSION_DENIED", EPH_PERMISSION_DENIED},
           {"ABORTED", EPH_ABORTED}, {"NOT_FOUND", EPH_NOT_FOUND}}) {
    MockFixture f(R"("faults": {"list": {"fail_first": 1, "status": ")" + name + "\"}}");
    Reply r = f.list();
    CHECK(r.status == code);
    CHECK(r.message.find(name) != std::string::npos);
  }
  MockFixture quota(R"("faults": {"list": {"fail_first": 2, "status": "RESOURCE_EXHAUSTED"}})");
  CHECK(quota.list().retry_after_ms == 1000);
  MockFixture advised(R"("faults": {"list": {"fail_first": 1, "status": "RESOURCE_EXHAUSTED",
                                              "retry_after_ms": 250}})");
  Reply r = advised.list();
  CHECK(r.status == EPH_RESOURCE_EXHAUSTED);
  CHECK(r.retry_after_ms == 250);
}

TEST_CASE("faults apply per operation", "[mock][faults]") {
  MockFixture f(R"("faults": {"get": {"fail_first": 100}})");
  std::string id = f.create_ok("w1");
  CHECK(f.get(id).status == UNAV);
  CHECK(f.list().status == OK);
  CHECK(f.stop(id, 0).status == OK);
  CHECK(f.provider().harden(f.call(), spec_json("x", "w-x")).status == OK);
  CHECK(f.provider().health(f.call()).status == OK);
  CHECK(f.destroy(id).status == OK);
}

TEST_CASE("create succeeds but the call reports a timeout: the unknown outcome", "[mock][faults]") {
  MockFixture f(R"("faults": {"create": {"fail_nth": 1, "after_success": true}})");
  Reply first = f.create("eph-w1");
  CHECK(first.status == EPH_DEADLINE_EXCEEDED);  // the default status of after_success
  auto items = parse(f.list().payload).at("items").as_array();
  REQUIRE(items.size() == 1);
  Reply retry = f.create("eph-w1");
  REQUIRE(retry.status == EPH_OK);
  CHECK(parse(retry.payload).at("resource_id") == items.at(0).at("resource_id"));
}

TEST_CASE("destroy fails N times, then answers NOT_FOUND", "[mock][faults]") {
  MockFixture f(R"("faults": {"destroy": {"fail_first": 3, "after_success": true,
                                           "status": "UNAVAILABLE"}})");
  std::string id = f.create_ok("w1");
  CHECK(f.destroy(id).status == UNAV);
  CHECK(f.get(id).status == EPH_NOT_FOUND);  // it was removed; only the answer was lost
  CHECK(f.destroy(id).status == UNAV);
  CHECK(f.destroy(id).status == UNAV);
  CHECK(f.destroy(id).status == EPH_NOT_FOUND);
}

TEST_CASE("destroy failing before it acts keeps the resource until it succeeds", "[mock][faults]") {
  MockFixture f(R"("faults": {"destroy": {"fail_first": 2}})");
  std::string id = f.create_ok("w1");
  CHECK(f.destroy(id).status == UNAV);
  CHECK(f.destroy(id).status == UNAV);
  CHECK(f.get(id).status == EPH_OK);
  CHECK(f.destroy(id).status == EPH_OK);
  CHECK(f.destroy(id).status == EPH_NOT_FOUND);
}

TEST_CASE("the DOWN file takes the backend down and back up", "[mock][faults]") {
  MockFixture f;
  std::string id = f.create_ok("w1");
  f.backend_down(true);
  CHECK(f.create("w2").status == UNAV);
  CHECK(f.get(id).status == UNAV);
  CHECK(f.list().status == UNAV);
  CHECK(f.stop(id, 0).status == UNAV);
  CHECK(f.destroy(id).status == UNAV);
  CHECK(f.provider().harden(f.call(), spec_json("x", "w-x")).status == UNAV);
  Reply health = f.provider().health(f.call());
  CHECK(health.status == UNAV);
  CHECK(parse(health.payload).at("healthy").as_bool() == false);
  CHECK(parse(health.payload).at("detail").as_string().size() > 0);
  CHECK(f.provider().capabilities().status == OK);
  CHECK(MockProvider::validate_config(config_json(f.dir())).status == OK);
  f.reopen();  // open works while down
  f.backend_down(false);
  CHECK(f.get(id).status == OK);
  Reply healthy = f.provider().health(f.call());
  CHECK(healthy.status == OK);
  CHECK(parse(healthy.payload).at("healthy").as_bool() == true);
}

TEST_CASE("faults.json changes faults at run time", "[mock][faults]") {
  MockFixture f(R"("faults": {"get": {"fail_nth": 2}})");
  std::string id = f.create_ok("w1");
  CHECK(f.get(id).status == OK);
  write_file_atomically(f.dir() / "faults.json", R"({"get": {"fail_first": 1, "status": "INTERNAL"}})");
  CHECK(f.get(id).status == EPH_INTERNAL);  // counters restarted with the new knobs
  CHECK(f.get(id).status == OK);
  SECTION("a new content restarts the counters again") {
    write_file_atomically(f.dir() / "faults.json", R"({"get": {"fail_first": 1, "status": "ABORTED"}})");
    CHECK(f.get(id).status == EPH_ABORTED);
  }
  SECTION("removing it restores the configured faults, counted afresh") {
    std::filesystem::remove(f.dir() / "faults.json");
    CHECK(f.get(id).status == OK);
    CHECK(f.get(id).status == UNAV);
  }
  SECTION("a malformed faults.json is logged and ignored") {
    write_file_atomically(f.dir() / "faults.json", R"({"get": {"fail_nth": "x"}})");
    CHECK(f.get(id).status == OK);
    CHECK(f.get(id).status == UNAV);
    bool logged = false;
    for (const std::string& line : f.host.logs())
      logged |= line.find("faults.json") != std::string::npos && line.find("fail_nth") != std::string::npos;
    CHECK(logged);
  }
}

TEST_CASE("faults.json can inject latency into a running instance", "[mock][faults]") {
  MockFixture f;
  std::string id = f.create_ok("w1");
  write_file_atomically(f.dir() / "faults.json", R"({"get": {"latency_ms": 5000}})");
  CHECK(f.provider().get(f.call(50), ref_id(id)).status == EPH_DEADLINE_EXCEEDED);
}
