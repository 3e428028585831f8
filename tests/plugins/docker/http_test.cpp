// The provider over HTTP against a fake dockerd (and no daemon at all):
// status mapping, version negotiation, deadlines, list pagination.
#include "provider_fixture.h"

using namespace ephemera;
using namespace ephemera::docker;
using namespace ephemera::docker::test;

TEST_CASE("daemon down: open succeeds, calls are UNAVAILABLE, never NOT_FOUND") {
  FakeHost host;
  FakeCall fc;
  auto p = open_provider(host, "unix:///nonexistent/ephemera/docker.sock");
  CHECK(p->get(fc.call(host), kRef).status == EPH_UNAVAILABLE);
  CHECK(p->list(fc.call(host), kSelector).status == EPH_UNAVAILABLE);
  CHECK(p->stop(fc.call(host), kRef, std::chrono::seconds(1)).status == EPH_UNAVAILABLE);
  CHECK(p->destroy(fc.call(host), kRef, std::chrono::seconds(1), false).status == EPH_UNAVAILABLE);
  CHECK(p->create(fc.call(host), kSpec).status == EPH_UNAVAILABLE);
  sdk::Reply health = p->health(fc.call(host));
  CHECK(health.status == EPH_UNAVAILABLE);
  CHECK(json::parse(health.payload).at("healthy").as_bool() == false);
  // Bad input is still bad input, daemon or not.
  CHECK(p->get(fc.call(host), "{").status == EPH_INVALID_ARGUMENT);
}

TEST_CASE("version: the lower of the daemon's and ours prefixes every path") {
  for (auto [daemon, expect] : {std::pair{"1.41", "/v1.41/"}, std::pair{"1.99", "/v1.43/"}}) {
    FakeDockerd d([daemon = std::string(daemon)](const FakeDockerd::Request& r) {
      if (r.target == "/_ping") return ping(daemon);
      return FakeDockerd::reply(200, kInspect);
    });
    FakeHost host;
    FakeCall fc;
    auto p = open_provider(host, d.host());
    REQUIRE(p->get(fc.call(host), kRef).is_ok());
    auto reqs = d.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].target == "/_ping");
    CHECK(reqs[1].target == std::string(expect) + "containers/eph-w-1/json");
  }
}

TEST_CASE("http: 404 is NOT_FOUND, 429 RESOURCE_EXHAUSTED with Retry-After, 5xx UNAVAILABLE") {
  int status = 404;
  FakeDockerd d([&](const FakeDockerd::Request& r) {
    if (r.target == "/_ping") return ping("1.41");
    return FakeDockerd::reply(status, R"({"message":"boom"})", status == 429 ? "Retry-After: 7\r\n" : "");
  });
  FakeHost host;
  FakeCall fc;
  auto p = open_provider(host, d.host());
  CHECK(p->get(fc.call(host), kRef).status == EPH_NOT_FOUND);
  CHECK(p->destroy(fc.call(host), kRef, std::chrono::seconds(1), false).status == EPH_OK);  // gone = done
  status = 429;
  sdk::Reply limited = p->get(fc.call(host), kRef);
  CHECK(limited.status == EPH_RESOURCE_EXHAUSTED);
  CHECK(limited.retry_after_ms == 7000);
  status = 503;
  sdk::Reply down = p->list(fc.call(host), kSelector);
  CHECK(down.status == EPH_UNAVAILABLE);
  CHECK_THAT(down.message, Catch::Contains("boom"));
}

TEST_CASE("deadline: a daemon that never answers is DEADLINE_EXCEEDED within the call's deadline") {
  docker::test::SilentSocket silent;
  FakeHost host;
  FakeCall fc;
  auto p = open_provider(host, silent.host());
  auto start = std::chrono::steady_clock::now();
  sdk::Reply r = p->get(fc.call(host, 300), kRef);
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.status == EPH_DEADLINE_EXCEEDED);
  CHECK(took < std::chrono::milliseconds(300));
  fc.cancelled = true;  // the host gave up: answer at once
  start = std::chrono::steady_clock::now();
  CHECK(p->get(fc.call(host, 10'000), kRef).status == EPH_DEADLINE_EXCEEDED);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("list: label filters and pages in id order") {
  FakeDockerd d([&](const FakeDockerd::Request& r) {
    if (r.target == "/_ping") return ping("1.41");
    return FakeDockerd::reply(200, R"([{"Id":"cc","Names":["/c"],"State":"running","Labels":{}},
      {"Id":"aa","Names":["/a"],"State":"exited","Status":"Exited (0) 1s ago","Labels":{}},
      {"Id":"bb","Names":["/b"],"State":"created","Labels":{}}])");
  });
  FakeHost host;
  FakeCall fc;
  auto p = open_provider(host, d.host());
  std::vector<std::string> seen;
  std::string token;
  for (int page = 0; page < 5; ++page) {
    std::string sel = R"({"schema":1,"labels":{"ephemera.dev/instance":"i1","team":"ci"},"limit":2,"continue":")" + token + "\"}";
    sdk::Reply r = p->list(fc.call(host), sel);
    REQUIRE(r.is_ok());
    json::object doc = json::parse(r.payload).as_object();
    CHECK(doc.at("items").as_array().size() <= 2);
    for (const auto& i : doc.at("items").as_array()) seen.emplace_back(i.at("resource_id").as_string());
    token = std::string(doc.at("continue").as_string());
    if (token.empty()) break;
  }
  CHECK(seen == std::vector<std::string>{"aa", "bb", "cc"});
  const std::string target = d.requests()[1].target;
  CHECK_THAT(target, Catch::Contains("/v1.41/containers/json?all=1&filters="));
  // {"label":["ephemera.dev/instance=i1","team=ci"]}, percent-encoded.
  CHECK_THAT(target, Catch::Contains("ephemera.dev%2Finstance%3Di1"));
  CHECK_THAT(target, Catch::Contains("team%3Dci"));
}
