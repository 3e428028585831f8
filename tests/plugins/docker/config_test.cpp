#include "docker/docker_config.h"

#include <catch2/catch.hpp>

#include <map>

using namespace ephemera::docker;

namespace {

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

std::string config(const std::string& settings) {
  return R"({"schema":1,"provider":"d","site":"s","instance_id":"i1","settings":)" + settings + "}";
}

}  // namespace

TEST_CASE("config: defaults are the hardened ones") {
  Result<DockerConfig> c = parse_config(config("{}"), fake_env({}));
  REQUIRE(c.ok());
  CHECK(c->endpoint.unix_socket == "/var/run/docker.sock");
  CHECK(c->network_mode == "none");
  CHECK_FALSE(c->allow_privileged);
  CHECK_FALSE(c->allow_bind_mounts);
  CHECK_FALSE(c->allow_host_namespaces);
  CHECK(c->warnings_are_errors);
  CHECK(c->default_user == "65532:65532");
  CHECK(c->instance_id == "i1");
}

TEST_CASE("config: an unknown key is named by its JSON pointer, with a suggestion") {
  Result<DockerConfig> c = parse_config(config(R"({"netwrk_mode":"none"})"), fake_env({}));
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().status == EPH_INVALID_ARGUMENT);
  CHECK(c.error().pointer == "/settings/netwrk_mode");
  CHECK_THAT(c.error().message, Catch::Contains("did you mean 'network_mode'"));
}

TEST_CASE("config: wrong types and values point at the key") {
  struct Case {
    const char* settings;
    const char* pointer;
  };
  for (const Case& k : {Case{R"({"allow_privileged":"yes"})", "/settings/allow_privileged"},
                        Case{R"({"default_memory":1024})", "/settings/default_memory"},
                        Case{R"({"default_pids_limit":0})", "/settings/default_pids_limit"},
                        Case{R"({"log_max_size":"ten"})", "/settings/log_max_size"},
                        Case{R"({"max_api_version":"v2"})", "/settings/max_api_version"},
                        Case{R"({"network_mode":"host"})", "/settings/network_mode"},
                        Case{R"({"host":"ftp://x"})", "/settings/host"}}) {
    INFO(k.settings);
    Result<DockerConfig> c = parse_config(config(k.settings), fake_env({}));
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().status == EPH_INVALID_ARGUMENT);
    CHECK(c.error().pointer == k.pointer);
  }
}

TEST_CASE("config: host namespaces need allow_host_namespaces") {
  CHECK(parse_config(config(R"({"network_mode":"host","allow_host_namespaces":true})"), fake_env({})).ok());
  CHECK(parse_config(config(R"({"network_mode":"bridge"})"), fake_env({})).ok());
}

TEST_CASE("config: malformed and future documents are INVALID_ARGUMENT") {
  for (const char* doc : {"", "{", "[]", R"({"schema":2})", R"({"settings":{}})"}) {
    INFO(doc);
    Result<DockerConfig> c = parse_config(doc, fake_env({}));
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().status == EPH_INVALID_ARGUMENT);
  }
}

TEST_CASE("config: DOCKER_HOST is the fallback; settings.host wins") {
  auto env = fake_env({{"DOCKER_HOST", "unix:///tmp/x/docker.sock"}});
  Result<DockerConfig> from_env = parse_config(config("{}"), env);
  REQUIRE(from_env.ok());
  CHECK(from_env->endpoint.unix_socket == "/tmp/x/docker.sock");
  CHECK(from_env->endpoint.base_url == "http://localhost");
  Result<DockerConfig> from_settings = parse_config(config(R"({"host":"tcp://10.0.0.1:2375"})"), env);
  REQUIRE(from_settings.ok());
  CHECK(from_settings->endpoint.unix_socket.empty());
  CHECK(from_settings->endpoint.base_url == "http://10.0.0.1:2375");
  CHECK_FALSE(from_settings->endpoint.tls);
}

TEST_CASE("config: DOCKER_TLS_VERIFY and DOCKER_CERT_PATH turn on verified TLS") {
  auto env = fake_env({{"DOCKER_HOST", "tcp://d:2376"}, {"DOCKER_TLS_VERIFY", "1"}, {"DOCKER_CERT_PATH", "/certs"}});
  Result<DockerConfig> c = parse_config(config("{}"), env);
  REQUIRE(c.ok());
  CHECK(c->endpoint.base_url == "https://d:2376");
  CHECK(c->endpoint.tls);
  CHECK(c->endpoint.tls_verify);
  CHECK(c->endpoint.ca_file == "/certs/ca.pem");
  CHECK(c->endpoint.cert_file == "/certs/cert.pem");
  CHECK(c->endpoint.key_file == "/certs/key.pem");

  // A cert path without DOCKER_TLS_VERIFY: TLS, but the server is not verified.
  auto unverified = fake_env({{"DOCKER_HOST", "tcp://d:2376"}, {"DOCKER_CERT_PATH", "/certs"}});
  Result<DockerConfig> u = parse_config(config("{}"), unverified);
  REQUIRE(u.ok());
  CHECK(u->endpoint.tls);
  CHECK_FALSE(u->endpoint.tls_verify);

  // Verification without certificates cannot work: say so at config time.
  Result<DockerConfig> bad = parse_config(config(R"({"tls_verify":true})"), fake_env({{"DOCKER_HOST", "tcp://d:2376"}}));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().pointer == "/settings/cert_path");
}
