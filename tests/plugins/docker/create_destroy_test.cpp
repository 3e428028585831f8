// Create (JSON body, Warnings, failed start, adopt on 409) and destroy
// (removal already in progress) against a fake dockerd.
#include "provider_fixture.h"

using namespace ephemera;
using namespace ephemera::docker;
using namespace ephemera::docker::test;

TEST_CASE("create: JSON body, start, and Warnings are an error that removes the container") {
  bool warn = true;
  FakeDockerd d([&](const FakeDockerd::Request& r) {
    if (r.target == "/_ping") return ping("1.41");
    if (r.method == "POST" && r.target.find("/containers/create") != std::string::npos)
      return FakeDockerd::reply(201, warn ? R"({"Id":"c0ffee","Warnings":["no swap limit"]})"
                                          : R"({"Id":"c0ffee","Warnings":[]})");
    if (r.method == "POST") return FakeDockerd::reply(204, "");
    if (r.method == "DELETE") return FakeDockerd::reply(204, "");
    return FakeDockerd::reply(200, kInspect);
  });
  FakeHost host;
  FakeCall fc;
  auto p = open_provider(host, d.host());
  sdk::Reply refused = p->create(fc.call(host), kSpec);
  CHECK(refused.status == EPH_INVALID_ARGUMENT);
  CHECK_THAT(refused.message, Catch::Contains("no swap limit"));
  auto reqs = d.requests();
  REQUIRE(reqs.size() >= 2);
  CHECK(reqs[1].target == "/v1.41/containers/create?name=eph-w-1");
  CHECK(reqs[1].content_type == "application/json");
  CHECK(json::parse(reqs[1].body).at("HostConfig").at("CapDrop") == json::parse(R"(["ALL"])"));
  CHECK(count(reqs, "DELETE", "/containers/c0ffee?force=true&v=true") == 1);
  CHECK(count(reqs, "POST", "/start") == 0);

  warn = false;
  sdk::Reply made = p->create(fc.call(host), kSpec);
  REQUIRE(made.is_ok());
  CHECK(json::parse(made.payload).at("state").as_string() == "running");
  CHECK(count(d.requests(), "POST", "/containers/c0ffee/start") == 1);
}

TEST_CASE("create: with warnings_are_errors = false a warning is logged, not fatal") {
  FakeDockerd d([&](const FakeDockerd::Request& r) {
    if (r.target == "/_ping") return ping("1.41");
    if (r.target.find("/containers/create") != std::string::npos)
      return FakeDockerd::reply(201, R"({"Id":"c0ffee","Warnings":["no swap limit"]})");
    if (r.method == "POST") return FakeDockerd::reply(204, "");
    return FakeDockerd::reply(200, kInspect);
  });
  FakeHost host;
  FakeCall fc;
  auto p = open_provider(host, d.host(), R"(,"warnings_are_errors":false)");
  REQUIRE(p->create(fc.call(host), kSpec).is_ok());
  bool logged = false;
  for (const std::string& l : host.logs()) logged |= l.find("no swap limit") != std::string::npos;
  CHECK(logged);
  CHECK(count(d.requests(), "DELETE", "") == 0);
}

TEST_CASE("create: a failed start removes the container it created") {
  FakeDockerd d([&](const FakeDockerd::Request& r) {
    if (r.target == "/_ping") return ping("1.41");
    if (r.target.find("/containers/create") != std::string::npos) return FakeDockerd::reply(201, R"({"Id":"c0ffee"})");
    if (r.target.find("/start") != std::string::npos)
      return FakeDockerd::reply(400, R"({"message":"OCI runtime create failed: executable file not found"})");
    return FakeDockerd::reply(204, "");
  });
  FakeHost host;
  FakeCall fc;
  auto p = open_provider(host, d.host());
  sdk::Reply r = p->create(fc.call(host), kSpec);
  CHECK(r.status == EPH_INVALID_ARGUMENT);
  CHECK(count(d.requests(), "DELETE", "/containers/c0ffee?force=true&v=true") == 1);
}

TEST_CASE("create: a name conflict adopts our own container, refuses another worker's") {
  std::string owner = "w-1";
  FakeDockerd d([&](const FakeDockerd::Request& r) {
    if (r.target == "/_ping") return ping("1.41");
    if (r.target.find("/containers/create") != std::string::npos)
      return FakeDockerd::reply(409, R"({"message":"Conflict. The container name is already in use"})");
    std::string inspect = kInspect;
    inspect.replace(inspect.find("\"w-1\""), 5, "\"" + owner + "\"");
    return FakeDockerd::reply(200, inspect);
  });
  FakeHost host;
  FakeCall fc;
  auto p = open_provider(host, d.host());
  sdk::Reply adopted = p->create(fc.call(host), kSpec);
  REQUIRE(adopted.is_ok());
  CHECK(json::parse(adopted.payload).at("resource_id").as_string() == "c0ffee");
  owner = "w-other";
  CHECK(p->create(fc.call(host), kSpec).status == EPH_ALREADY_EXISTS);
  // And get by a reference whose worker differs says our worker is gone.
  CHECK(p->get(fc.call(host), kRef).status == EPH_NOT_FOUND);
}

TEST_CASE("destroy: 'removal already in progress' is waited out, then ABORTED with retry-after") {
  int conflicts = 2;
  FakeDockerd d([&](const FakeDockerd::Request& r) {
    if (r.target == "/_ping") return ping("1.41");
    if (r.method == "DELETE" && conflicts-- > 0)
      return FakeDockerd::reply(409, R"({"message":"removal of container c0ffee is already in progress"})");
    if (r.method == "DELETE") return FakeDockerd::reply(404, R"({"message":"No such container"})");
    return FakeDockerd::reply(200, kInspect);
  });
  FakeHost host;
  FakeCall fc;
  auto p = open_provider(host, d.host());
  CHECK(p->destroy(fc.call(host), kRef, std::chrono::seconds(0), true).status == EPH_OK);
  conflicts = 1000;
  sdk::Reply r = p->destroy(fc.call(host, 600), kRef, std::chrono::seconds(0), true);
  CHECK(r.status == EPH_ABORTED);
  CHECK(r.retry_after_ms > 0);
}
