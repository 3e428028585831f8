#include "mock_fixture.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace ephemera::mock;
using namespace ephemera::mock::test;
using ephemera::sdk::Reply;
using std::chrono::milliseconds;

TEST_CASE("a thread-safe instance takes concurrent calls", "[mock][concurrency]") {
  MockFixture f;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      FakeCall c;
      for (int i = 0; i < 15; ++i) {
        std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
        Reply r = f.provider().create(c.call(f.host), spec_json(name, "w-" + name));
        failures += r.status != EPH_OK;
        failures += f.provider().get(c.call(f.host), ref_name(name)).status != EPH_OK;
        failures += f.provider().list(c.call(f.host), selector_json("", 5)).status != EPH_OK;
        failures += f.provider().stop(c.call(f.host), ref_name(name), milliseconds(0)).status != EPH_OK;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(parse(f.list("", 1000).payload).at("items").as_array().size() == 90);
}

TEST_CASE("thread_safe=false reports overlapping calls as a host bug", "[mock][concurrency]") {
  MockFixture f(R"("thread_safe": false, "faults": {"list": {"latency_ms": 500}})");
  std::atomic<bool> slow_done{false};
  Reply slow;
  std::thread t([&] {
    FakeCall c;
    slow = f.provider().list(c.call(f.host), selector_json(""));
    slow_done = true;
  });
  // Keep calling while the slow call runs. Whichever call of an overlapping
  // pair arrives second is refused; it may be the slow one.
  Reply refused;
  while (!slow_done) {
    Reply r = f.provider().harden(f.call(), spec_json("a", "w-a"));
    if (r.status == EPH_INTERNAL) refused = r;
    std::this_thread::sleep_for(milliseconds(10));
  }
  t.join();
  if (slow.status == EPH_INTERNAL) refused = slow;
  CHECK(refused.status == EPH_INTERNAL);
  CHECK(refused.message.find("thread_safe=false") != std::string::npos);
  SECTION("serialized calls are fine") {
    CHECK(f.provider().harden(f.call(), spec_json("a", "w-a")).status == EPH_OK);
    CHECK(f.list().status == EPH_OK);
  }
}

TEST_CASE("calls above max_concurrency are logged", "[mock][concurrency]") {
  MockFixture f(R"("max_concurrency": 1, "faults": {"list": {"latency_ms": 500}})");
  std::atomic<bool> slow_done{false};
  std::thread t([&] {
    FakeCall c;
    f.provider().list(c.call(f.host), selector_json(""));
    slow_done = true;
  });
  auto warned = [&] {
    for (const std::string& line : f.host.logs())
      if (line.find("max_concurrency") != std::string::npos) return true;
    return false;
  };
  while (!slow_done && !warned()) {
    CHECK(f.provider().health(f.call()).status == EPH_OK);
    std::this_thread::sleep_for(milliseconds(10));
  }
  t.join();
  CHECK(warned());
}
