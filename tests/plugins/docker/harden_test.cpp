#include "docker/container_spec.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

using namespace ephemera::docker;

namespace {

json::object spec(const std::string& extra = "") {
  std::string text = R"({"schema":1,"worker_id":"w-1","name":"eph-lab-w-1",
    "labels":{"ephemera.dev/managed-by":"ephemera","ephemera.dev/worker-id":"w-1"},
    "image":"ephemera-test/busybox:latest","command":["sleep","60"])" + extra + "}";
  return json::parse(text).as_object();
}

Result<json::object> harden(const json::object& s, DockerConfig c = {}) { return harden_spec(s, c); }

}  // namespace

TEST_CASE("harden: fills user, resources and network, and is idempotent") {
  Result<json::object> once = harden(spec());
  REQUIRE(once.ok());
  CHECK(once->at("user").as_string() == "65532:65532");
  CHECK(once->at("privileged").as_bool() == false);
  CHECK(once->at("resources").at("memory_bytes").as_int64() == 512LL * 1024 * 1024);
  CHECK(once->at("resources").at("cpu_millis").as_int64() == 1000);
  CHECK(once->at("resources").at("pids").as_int64() == 256);
  CHECK(once->at("extensions").at("docker").at("network_mode").as_string() == "none");
  Result<json::object> twice = harden(once.value());
  REQUIRE(twice.ok());
  CHECK(json::serialize(twice.value()) == json::serialize(once.value()));
}

TEST_CASE("harden: refuses privileged unless the site allows it") {
  Result<json::object> refused = harden(spec(R"(,"privileged":true)"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().status == EPH_INVALID_ARGUMENT);
  CHECK(refused.error().pointer == "/privileged");
  DockerConfig permissive;
  permissive.allow_privileged = true;
  CHECK(harden(spec(R"(,"privileged":true)"), permissive).ok());
}

TEST_CASE("harden: root, named and gid-0 users become the non-root default") {
  for (const char* user : {"0", "root", "0:0", "1000:0", "nobody", "", "-1", "1000:x"}) {
    INFO(user);
    Result<json::object> h = harden(spec(std::string(R"(,"user":")") + user + "\""));
    REQUIRE(h.ok());
    CHECK(h->at("user").as_string() == "65532:65532");
  }
  Result<json::object> kept = harden(spec(R"(,"user":"1000")"));
  REQUIRE(kept.ok());
  CHECK(kept->at("user").as_string() == "1000:1000");  // a bare uid would get gid 0
  CHECK(harden(spec(R"(,"user":"1000:2000")"))->at("user").as_string() == "1000:2000");
}

TEST_CASE("harden: spec resources win over defaults; too little memory is refused") {
  Result<json::object> h = harden(spec(R"(,"resources":{"memory_bytes":67108864,"cpu_millis":250,"pids":32})"));
  REQUIRE(h.ok());
  CHECK(h->at("resources").at("memory_bytes").as_int64() == 67108864);
  CHECK(h->at("resources").at("cpu_millis").as_int64() == 250);
  CHECK(h->at("resources").at("pids").as_int64() == 32);
  Result<json::object> tiny = harden(spec(R"(,"resources":{"memory_bytes":1024})"));
  REQUIRE_FALSE(tiny.ok());
  CHECK(tiny.error().pointer == "/resources/memory_bytes");
}

TEST_CASE("harden: bind mounts and extra network need the site's consent") {
  Result<json::object> binds = harden(spec(R"(,"extensions":{"docker":{"binds":["/etc:/host-etc:ro"]}})"));
  REQUIRE_FALSE(binds.ok());
  CHECK(binds.error().pointer == "/extensions/docker/binds");
  DockerConfig allow;
  allow.allow_bind_mounts = true;
  CHECK(harden(spec(R"(,"extensions":{"docker":{"binds":["/etc:/host-etc:ro"]}})"), allow).ok());

  Result<json::object> bridge = harden(spec(R"(,"extensions":{"docker":{"network_mode":"bridge"}})"));
  REQUIRE_FALSE(bridge.ok());
  CHECK(bridge.error().pointer == "/extensions/docker/network_mode");
  DockerConfig site_bridge;
  site_bridge.network_mode = "bridge";
  Result<json::object> down = harden(spec(R"(,"extensions":{"docker":{"network_mode":"none"}})"), site_bridge);
  REQUIRE(down.ok());
  CHECK(down->at("extensions").at("docker").at("network_mode").as_string() == "none");
}

TEST_CASE("harden: bad input is INVALID_ARGUMENT with a pointer") {
  struct Case {
    const char* extra;
    const char* pointer;
  };
  for (const Case& k : {Case{R"(,"name":"../etc")", "/name"}, Case{R"(,"image":"")", "/image"},
                        Case{R"(,"command":"sleep 1")", "/command"}, Case{R"(,"env":{"A":1})", "/env/A"},
                        Case{R"(,"extensions":{"docker":{"netwrk":"x"}})", "/extensions/docker/netwrk"},
                        Case{R"(,"worker_id":"w-2")", "/worker_id"}}) {
    INFO(k.extra);
    json::object s = spec();
    json::object patch = json::parse(std::string("{\"x\":0") + k.extra + "}").as_object();
    for (auto& [key, v] : patch)
      if (key != "x") s[key] = v;
    Result<json::object> h = harden(s);
    REQUIRE_FALSE(h.ok());
    CHECK(h.error().status == EPH_INVALID_ARGUMENT);
    CHECK(h.error().pointer == k.pointer);
  }
}
