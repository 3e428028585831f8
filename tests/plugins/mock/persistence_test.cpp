// The state directory is the backend: it outlives instances, and anyone may
// write to it.
#include "mock_fixture.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>

using namespace ephemera::mock;
using namespace ephemera::mock::test;
using ephemera::sdk::Reply;
using std::chrono::milliseconds;

namespace {

const std::string kOwned = R"("ephemera.dev/instance":"i-1")";

json::object only_item(const Reply& r) {
  INFO(r.message);
  REQUIRE(r.status == EPH_OK);
  auto items = parse(r.payload).at("items").as_array();
  REQUIRE(items.size() == 1);
  return items.at(0).as_object();
}

}  // namespace

TEST_CASE("a new instance on the same directory sees the same resources", "[mock][persistence]") {
  MockFixture f;
  std::string finishing = f.create_ok("w1", R"("run_ms": 60000, "exit_code": 7)");
  std::string stopped = f.create_ok("w2");
  REQUIRE(f.stop(stopped, 0).status == EPH_OK);
  f.close();
  f.host.advance(milliseconds(60'000));
  f.reopen();
  json::object a = parse(f.get(finishing).payload);
  CHECK(a.at("state").as_string() == "exited");
  CHECK(a.at("exit_code").as_int64() == 7);
  CHECK(parse(f.get(stopped).payload).at("exit_code").as_int64() == 143);
  CHECK(parse(f.list().payload).at("items").as_array().size() == 2);
  SECTION("create after restart still adopts by name") {
    Reply again = f.create("w1");
    REQUIRE(again.status == EPH_OK);
    CHECK(parse(again.payload).at("resource_id").as_string() == finishing);
  }
}

TEST_CASE("a planted file is an orphan that list finds", "[mock][persistence]") {
  MockFixture f;
  write_file_atomically(f.dir() / "resources" / "orphan-1.json",
                        R"({"schema":1,"labels":{"ephemera.dev/instance":"i-1","ephemera.dev/worker-id":"w-lost"}})");
  json::object item = only_item(f.list(kOwned));
  CHECK(item.at("resource_id").as_string() == "orphan-1");
  CHECK(item.at("name").as_string() == "orphan-1");
  CHECK(item.at("worker_id").as_string() == "w-lost");
  CHECK(item.at("state").as_string() == "running");
  // Without created_at_ms the file's mtime (wall clock) stands in.
  CHECK(item.at("created_at_ms").as_int64() > 1'600'000'000'000);
  CHECK(f.get("orphan-1").status == EPH_OK);
  CHECK(f.destroy("orphan-1").status == EPH_OK);
  CHECK(parse(f.list(kOwned).payload).at("items").as_array().empty());
}

TEST_CASE("a planted file may give every field", "[mock][persistence]") {
  MockFixture f;
  write_file_atomically(f.dir() / "resources" / "o2.json", R"({"schema":1,"resource_id":"o2",
      "name":"eph-lab-w-9","worker_id":"w-9","labels":{"ephemera.dev/instance":"i-1"},
      "image":"img","created_at_ms":)" + std::to_string(FakeHost::kStartMs - 10'000) + R"(,
      "start_delay_ms":0,"run_ms":5000,"exit_code":1})");
  json::object item = only_item(f.list(kOwned));
  CHECK(item.at("name").as_string() == "eph-lab-w-9");
  CHECK(item.at("state").as_string() == "exited");
  CHECK(item.at("exit_code").as_int64() == 1);
  CHECK(f.provider().get(f.call(), ref_name("eph-lab-w-9")).status == EPH_OK);
}

TEST_CASE("unreadable files are skipped with one warning each", "[mock][persistence]") {
  MockFixture f;
  std::string good = f.create_ok("w1");
  write_file_atomically(f.dir() / "resources" / "bad.json", "{not json");
  write_file_atomically(f.dir() / "resources" / "mismatch.json", R"({"schema":1,"resource_id":"other"})");
  write_file_atomically(f.dir() / "resources" / "v2.json", R"({"schema":2})");
  write_file_atomically(f.dir() / "resources" / ".half-written.json.tmp", "{");
  write_file_atomically(f.dir() / "resources" / "notes.txt", "hello");
  for (int i = 0; i < 3; ++i) CHECK(only_item(f.list()).at("resource_id").as_string() == good);
  int warnings = 0;
  for (const std::string& line : f.host.logs()) warnings += line.find("skipping") != std::string::npos;
  CHECK(warnings == 3);
  CHECK(f.get("bad").status == EPH_INTERNAL);
}

TEST_CASE("the resource file is the documented JSON", "[mock][persistence]") {
  MockFixture f;
  std::string id = f.create_ok("w1", R"("run_ms": 10, "exit_code": 4, "ignore_sigterm": true)");
  REQUIRE(f.stop(id, 500).status == EPH_OK);
  std::ifstream in(f.resource_file(id));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  json::object doc = parse(text);
  CHECK(doc.at("schema").as_int64() == 1);
  CHECK(doc.at("resource_id").as_string() == id);
  CHECK(doc.at("name").as_string() == "w1");
  CHECK(doc.at("worker_id").as_string() == "w-w1");
  CHECK(doc.at("created_at_ms").as_int64() == FakeHost::kStartMs);
  CHECK(doc.at("run_ms").as_int64() == 10);
  CHECK(doc.at("exit_code").as_int64() == 4);
  CHECK(doc.at("ignore_sigterm").as_bool());
  CHECK(doc.at("stop_requested_at_ms").as_int64() == FakeHost::kStartMs);
  CHECK(doc.at("stop_deadline_ms").as_int64() == FakeHost::kStartMs + 500);
  CHECK(std::distance(std::filesystem::directory_iterator(f.dir() / "resources"),
                      std::filesystem::directory_iterator()) == 1);  // no temp files left
}

TEST_CASE("two instances on one directory create a name once", "[mock][persistence]") {
  MockFixture a;
  FakeHost host_b;
  std::unique_ptr<MockProvider> b;
  REQUIRE(MockProvider::open(host_b.host(), config_json(a.dir()), b).status == EPH_OK);
  FakeCall call_b;
  for (int round = 0; round < 20; ++round) {
    std::string name = "race-" + std::to_string(round);
    Reply ra, rb;
    std::thread t([&] { rb = b->create(call_b.call(host_b), spec_json(name, "w-" + name)); });
    ra = a.create(name);
    t.join();
    REQUIRE(ra.status == EPH_OK);
    REQUIRE(rb.status == EPH_OK);
    CHECK(parse(ra.payload).at("resource_id") == parse(rb.payload).at("resource_id"));
  }
  CHECK(parse(a.list("", 100).payload).at("items").as_array().size() == 20);
}

TEST_CASE("readers tolerate files vanishing under them", "[mock][persistence]") {
  MockFixture f;
  std::atomic<bool> done{false};
  std::atomic<int> churn_failures{0};
  // Catch2 assertions are not thread-safe: the churn thread only counts.
  std::thread churn([&] {
    FakeCall c;
    for (int i = 0; i < 200; ++i) {
      std::string name = "c" + std::to_string(i);
      Reply r = f.provider().create(c.call(f.host), spec_json(name, "w-" + name));
      if (r.status != EPH_OK) {
        ++churn_failures;
        continue;
      }
      std::string id(parse(r.payload).at("resource_id").as_string());
      if (f.provider().destroy(c.call(f.host), ref_id(id), milliseconds(0), false).status != EPH_OK)
        ++churn_failures;
    }
    done = true;
  });
  int lists = 0, list_failures = 0;
  FakeCall reader;
  while (!done) {
    Reply r = f.provider().list(reader.call(f.host), selector_json(""));
    list_failures += r.status != EPH_OK;
    ++lists;
  }
  churn.join();
  CHECK(churn_failures == 0);
  CHECK(list_failures == 0);
  CHECK(lists > 0);
}
