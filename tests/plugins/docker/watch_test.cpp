// The events watch against a fake dockerd that drops the stream once.
#include "provider_fixture.h"

using namespace ephemera;
using namespace ephemera::docker;
using namespace ephemera::docker::test;

TEST_CASE("watch: pushes events, reconnects with since, drops the replay, reconciles each time") {
  std::atomic<int> connections{0};
  const std::string e1 = R"({"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{"name":"eph-w-1","ephemera.dev/worker-id":"w-1"}},"timeNano":1700000000000000100})";
  const std::string e2 = R"({"Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"name":"eph-w-1","exitCode":"0","ephemera.dev/worker-id":"w-1"}},"timeNano":1700000000000000200})";
  const std::string e3 = R"({"Type":"container","Action":"destroy","Actor":{"ID":"c1","Attributes":{"name":"eph-w-1","ephemera.dev/worker-id":"w-1"}},"timeNano":1700000000000000300})";
  FakeDockerd d([&](const FakeDockerd::Request& r) {
    if (r.target == "/_ping") return ping("1.41");
    // First stream: two events, then the daemon "restarts" (closes). Second:
    // replays the last one (since is inclusive), adds one and stays open.
    if (connections++ == 0) return FakeDockerd::stream(e1 + "\n" + e2 + "\n", false);
    return FakeDockerd::stream(e2 + "\n" + e3 + "\n", true);
  });
  FakeHost host;
  auto p = open_provider(host, d.host());
  REQUIRE(p->watch_start().is_ok());
  REQUIRE(host.wait_for_push([](const json::object& o) { return o.at("state").as_string() == "gone"; }));
  auto started = std::chrono::steady_clock::now();
  REQUIRE(p->watch_stop().is_ok());
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(500));  // woken, not waited out
  std::vector<std::string> states;
  for (const std::string& push : host.pushes()) states.emplace_back(json::parse(push).at("state").as_string());
  CHECK(states == std::vector<std::string>{"running", "exited", "gone"});
  CHECK(host.reconcile_requests() == 2);
  auto reqs = d.requests();
  std::vector<std::string> streams;
  for (const auto& r : reqs)
    if (r.target.find("/events") != std::string::npos) streams.push_back(r.target);
  REQUIRE(streams.size() == 2);
  CHECK_THAT(streams[0], Catch::Contains("/v1.41/events?filters="));
  CHECK_THAT(streams[0], Catch::Contains("ephemera.dev%2Finstance%3Di1"));
  CHECK(streams[0].find("since=") == std::string::npos);
  CHECK_THAT(streams[1], Catch::Contains("since=1700000000.000000200"));
}
