// A created container really carries every hardening field (read back with
// the docker CLI, not with the plugin's own client), and the kernel enforces
// them at run time.
#include "docker_it_env.h"

#include <catch2/catch.hpp>

using namespace ephemera::docker::it;

namespace {

bool has_string(const json::value& array, std::string_view s) {
  if (!array.is_array()) return false;
  for (const auto& v : array.as_array())
    if (v.is_string() && v.as_string() == s) return true;
  return false;
}

}  // namespace

TEST_CASE("hardening: every field is on the created container") {
  Fixture f;
  json::object s = f.spec("hard");
  s["resources"] = json::object{{"cpu_millis", 500}, {"memory_bytes", 100 * 1024 * 1024}, {"pids", 48}};
  s["user"] = "0";  // asks for root: must not get it
  ephemera::sdk::Reply made = f.create(s);
  REQUIRE(made.is_ok());
  const std::string id(parse(made.payload).at("resource_id").as_string());
  json::object c = docker_inspect(id);
  const json::object& hc = c.at("HostConfig").as_object();
  CHECK(c.at("Config").at("User").as_string() == "65532:65532");
  CHECK(c.at("Name").as_string() == "/" + std::string(s.at("name").as_string()));
  CHECK(c.at("Config").at("Labels").at("ephemera.dev/worker-id") == s.at("worker_id"));
  CHECK(c.at("Config").at("Labels").at("ephemera.dev/instance").as_string() == f.instance());
  CHECK(hc.at("Privileged").as_bool() == false);
  CHECK(hc.at("CapDrop").as_array().size() == 1);
  CHECK(has_string(hc.at("CapDrop"), "ALL"));
  CHECK(has_string(hc.at("SecurityOpt"), "no-new-privileges"));
  CHECK(hc.at("ReadonlyRootfs").as_bool());
  CHECK(hc.at("Tmpfs").at("/tmp").as_string() == "rw,noexec,nosuid,nodev,size=64m");
  CHECK(hc.at("PidsLimit").as_int64() == 48);
  CHECK(hc.at("Memory").as_int64() == 100 * 1024 * 1024);
  CHECK(hc.at("MemorySwap").as_int64() == 100 * 1024 * 1024);
  CHECK(hc.at("NanoCpus").as_int64() == 500'000'000);
  CHECK(hc.at("NetworkMode").as_string() == "none");
  CHECK(hc.at("IpcMode").as_string() == "private");
  CHECK(hc.at("PidMode").as_string() == "");
  CHECK(hc.at("UTSMode").as_string() == "");
  CHECK((hc.at("Binds").is_null() || hc.at("Binds").as_array().empty()));
  CHECK(hc.at("LogConfig").at("Type").as_string() == "json-file");
  CHECK(hc.at("LogConfig").at("Config").at("max-size").as_string() == "10m");
  CHECK(hc.at("LogConfig").at("Config").at("max-file").as_string() == "3");
  CHECK(c.at("State").at("Running").as_bool());

  // What the kernel enforces, seen from inside.
  CHECK(sh("docker exec " + id + " sh -c 'id -u'") == std::optional<std::string>("65532\n"));
  CHECK(sh("docker exec " + id + " sh -c 'id -g'") == std::optional<std::string>("65532\n"));
  CHECK_FALSE(sh("docker exec " + id + " sh -c 'touch /etc/x' 2>/dev/null"));  // read-only rootfs
  CHECK(sh("docker exec " + id + " sh -c 'touch /tmp/x'"));                     // the tmpfs is writable
  std::optional<std::string> caps = sh("docker exec " + id + " sh -c 'grep CapEff /proc/self/status'");
  REQUIRE(caps);
  CHECK_THAT(*caps, Catch::Contains("0000000000000000"));
  std::optional<std::string> nnp = sh("docker exec " + id + " sh -c 'grep NoNewPrivs /proc/self/status'");
  REQUIRE(nnp);
  CHECK_THAT(*nnp, Catch::Contains("1"));
  std::optional<std::string> links = sh("docker exec " + id + " sh -c 'ls /sys/class/net'");
  REQUIRE(links);
  CHECK(*links == "lo\n");  // network none: loopback only
}

TEST_CASE("hardening: a privileged spec is refused before anything is created") {
  Fixture f;
  json::object s = f.spec("priv");
  s["privileged"] = true;
  CHECK(f.create(s).status == EPH_INVALID_ARGUMENT);
  CHECK(sh("docker ps -aq --filter name=" + std::string(s.at("name").as_string())) == std::optional<std::string>(""));
}
