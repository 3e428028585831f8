#include "docker/container_spec.h"

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

using namespace ephemera::docker;

namespace {

json::object body_for(const std::string& spec_text, const DockerConfig& c = {}) {
  Result<json::object> h = harden_spec(json::parse(spec_text).as_object(), c);
  REQUIRE(h.ok());
  Result<WorkerSpec> s = parse_spec(h.value());
  REQUIRE(s.ok());
  return build_create_body(s.value(), c);
}

const char* kSpec = R"({"schema":1,"worker_id":"w-1","name":"eph-w-1",
  "labels":{"ephemera.dev/instance":"i1","ephemera.dev/worker-id":"w-1","team":"ci"},
  "image":"img:1","command":["sh","-c","run"],"env":{"TOKEN":"s3cret"},
  "resources":{"cpu_millis":500,"memory_bytes":134217728,"pids":64}})";

}  // namespace

TEST_CASE("create body: every hardening field is set explicitly") {
  json::object b = body_for(kSpec);
  CHECK(b.at("Image").as_string() == "img:1");
  CHECK(b.at("User").as_string() == "65532:65532");
  CHECK(b.at("Cmd") == json::parse(R"(["sh","-c","run"])"));
  CHECK(b.at("Env") == json::parse(R"(["TOKEN=s3cret"])"));
  CHECK(b.at("Labels").at("ephemera.dev/worker-id").as_string() == "w-1");
  CHECK(b.at("Labels").at("team").as_string() == "ci");
  CHECK(b.at("NetworkDisabled").as_bool());
  const json::object& hc = b.at("HostConfig").as_object();
  CHECK(hc.at("Privileged").as_bool() == false);
  CHECK(hc.at("CapDrop") == json::parse(R"(["ALL"])"));
  CHECK(hc.at("SecurityOpt") == json::parse(R"(["no-new-privileges"])"));
  CHECK(hc.at("ReadonlyRootfs").as_bool());
  CHECK(hc.at("Tmpfs").at("/tmp").as_string() == "rw,noexec,nosuid,nodev,size=64m");
  CHECK(hc.at("PidsLimit").as_int64() == 64);
  CHECK(hc.at("Memory").as_int64() == 134217728);
  CHECK(hc.at("MemorySwap").as_int64() == 134217728);
  CHECK(hc.at("NanoCpus").as_int64() == 500'000'000);
  CHECK(hc.at("NetworkMode").as_string() == "none");
  CHECK(hc.at("IpcMode").as_string() == "private");
  CHECK(hc.at("Init").as_bool());
  CHECK(hc.at("AutoRemove").as_bool() == false);
  CHECK(hc.at("LogConfig") == json::parse(R"({"Type":"json-file","Config":{"max-size":"10m","max-file":"3"}})"));
  CHECK_FALSE(hc.contains("Binds"));
  CHECK_FALSE(hc.contains("PidMode"));
  CHECK_FALSE(hc.contains("UsernsMode"));
}

TEST_CASE("create body: config overrides reach the body") {
  DockerConfig c;
  c.network_mode = "bridge";
  c.log_max_size = "1m";
  c.log_max_file = 2;
  c.tmpfs_size = "16m";
  c.allow_bind_mounts = true;
  json::object b = body_for(R"({"schema":1,"name":"eph-w-2","image":"i","extensions":{"docker":{"binds":["/a:/b:ro"]}}})", c);
  const json::object& hc = b.at("HostConfig").as_object();
  CHECK(hc.at("NetworkMode").as_string() == "bridge");
  CHECK_FALSE(b.contains("NetworkDisabled"));
  CHECK(hc.at("LogConfig").at("Config").at("max-size").as_string() == "1m");
  CHECK(hc.at("LogConfig").at("Config").at("max-file").as_string() == "2");
  CHECK(hc.at("Tmpfs").at("/tmp").as_string() == "rw,noexec,nosuid,nodev,size=16m");
  CHECK(hc.at("Binds") == json::parse(R"(["/a:/b:ro"])"));
  CHECK(hc.at("Memory").as_int64() == c.default_memory_bytes);
  CHECK_FALSE(b.contains("Cmd"));  // the image's own command
}
