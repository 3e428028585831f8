#include "docker_it_env.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace ephemera::docker::it {

Env Env::from_environment() {
  const char* dir = std::getenv("EPHEMERA_DOCKER_STATE_DIR");
  const char* image = std::getenv("EPHEMERA_TEST_IMAGE");
  const char* host = std::getenv("DOCKER_HOST");
  if (dir == nullptr || host == nullptr)
    FAIL("run under ctest (fixture docker_daemon) or source STATE_DIR/env.sh first");
  return Env{dir, image != nullptr ? image : "ephemera-test/busybox:latest"};
}

Fixture::Fixture(const std::string& extra_settings) : instance_("it-" + std::to_string(::getpid())) {
  std::string config = R"({"schema":1,"provider":"docker-it","site":"it","instance_id":")" + instance_ +
                       R"(","settings":{"default_memory":67108864,"default_pids_limit":64,"watch_backoff_max_ms":500)" +
                       extra_settings + "}}";
  sdk::Reply r = DockerProvider::open(host.host(), config, provider);
  REQUIRE(r.is_ok());
}

Fixture::~Fixture() {
  if (provider) provider->watch_stop();
  mock::test::FakeCall fc;
  for (const std::string& r : refs_) provider->destroy(fc.call(host, 30'000), r, std::chrono::seconds(0), true);
}

json::object Fixture::spec(const std::string& suffix, json::array command) {
  std::string worker = "w-" + instance_ + "-" + suffix;
  json::object labels{{"ephemera.dev/managed-by", "ephemera"}, {"ephemera.dev/site", "it"},
                      {"ephemera.dev/instance", instance_}, {"ephemera.dev/provider", "docker-it"},
                      {"ephemera.dev/worker-id", worker}};
  json::object s{{"schema", 1},   {"worker_id", worker},    {"name", "eph-" + worker},
                 {"labels", labels}, {"image", env.image}, {"command", std::move(command)}};
  refs_.push_back(ref(s));
  return s;
}

std::string Fixture::ref(const json::object& doc) {
  return json::serialize(json::object{{"schema", 1}, {"name", doc.at("name")}, {"worker_id", doc.at("worker_id")}});
}

sdk::Reply Fixture::create(const json::object& s) {
  mock::test::FakeCall fc;
  return provider->create(fc.call(host, 30'000), json::serialize(s));
}

sdk::Reply Fixture::get(const json::object& s) {
  mock::test::FakeCall fc;
  return provider->get(fc.call(host, 10'000), ref(s));
}

std::optional<json::object> Fixture::wait_exited(const json::object& s) {
  json::object info;
  const bool exited = eventually([&] {
    info = parse(get(s).payload);
    return info.contains("state") && info.at("state").as_string() == "exited";
  }, std::chrono::seconds(20));
  if (!exited) return std::nullopt;
  return info;
}

sdk::Reply Fixture::list() {
  mock::test::FakeCall fc;
  json::object sel{{"schema", 1}, {"labels", json::object{{"ephemera.dev/instance", instance_}}}};
  return provider->list(fc.call(host, 10'000), json::serialize(sel));
}

std::optional<std::string> sh(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return std::nullopt;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  return ::pclose(p) == 0 ? std::optional<std::string>(out) : std::nullopt;
}

json::object parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return (!ec && v.is_object()) ? v.as_object() : json::object{};
}

json::object docker_inspect(const std::string& id) {
  std::optional<std::string> out = sh("docker inspect " + id);
  REQUIRE(out);
  json::value v = json::parse(*out);
  REQUIRE(v.is_array());
  REQUIRE(v.as_array().size() == 1);
  return v.as_array()[0].as_object();
}

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace ephemera::docker::it
