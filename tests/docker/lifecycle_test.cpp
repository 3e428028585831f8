// Create/adopt/failed start/exit codes against the real daemon.
#include "docker_it_env.h"

#include <catch2/catch.hpp>

using namespace ephemera::docker::it;

namespace {

std::string containers_named(const json::object& s) {
  return sh("docker ps -aq --filter name=^/" + std::string(s.at("name").as_string()) + "$").value_or("?");
}

size_t listed(Fixture& f) {
  ephemera::sdk::Reply r = f.list();
  REQUIRE(r.is_ok());
  return parse(r.payload).at("items").as_array().size();
}

}  // namespace

TEST_CASE("lifecycle: a failed start leaves no container") {
  // Without docker-init as PID 1 the runtime itself execs the command, so a
  // missing binary fails the start (with init it is an exit code 127 later).
  Fixture f(R"(,"init":false)");
  json::object s = f.spec("nostart", json::array{"/no/such/binary"});
  ephemera::sdk::Reply r = f.create(s);
  CHECK_FALSE(r.is_ok());
  CHECK(r.status != EPH_NOT_FOUND);
  INFO(r.message);
  CHECK(containers_named(s).empty());
  CHECK(sh("docker ps -aq --filter label=ephemera.dev/worker-id=" + std::string(s.at("worker_id").as_string())) ==
        std::optional<std::string>(""));
  CHECK(listed(f) == 0);
}

TEST_CASE("lifecycle: with docker-init a missing binary is an exit code, observed as exited 127") {
  Fixture f;
  json::object s = f.spec("init127", json::array{"/no/such/binary"});
  REQUIRE(f.create(s).is_ok());
  auto exited = f.wait_exited(s);
  REQUIRE(exited);
  const json::object& info = *exited;
  CHECK(info.at("exit_code").as_int64() == 127);
}

TEST_CASE("lifecycle: a second create with the same name adopts; another worker's name is ALREADY_EXISTS") {
  Fixture f;
  json::object s = f.spec("adopt");
  ephemera::sdk::Reply first = f.create(s);
  REQUIRE(first.is_ok());
  ephemera::sdk::Reply again = f.create(s);
  REQUIRE(again.is_ok());
  CHECK(parse(again.payload).at("resource_id") == parse(first.payload).at("resource_id"));
  json::object impostor = f.spec("impostor");
  impostor["name"] = s.at("name");
  CHECK(f.create(impostor).status == EPH_ALREADY_EXISTS);
  const std::string ids = containers_named(s);
  CHECK(std::count(ids.begin(), ids.end(), '\n') == 1);  // one container, never two
  CHECK(listed(f) == 1);
}

TEST_CASE("lifecycle: a created-but-never-started container is adopted and started") {
  Fixture f;
  json::object s = f.spec("halfway");
  // What a crash between create and start leaves: a container carrying our labels, not running.
  std::string labels;
  for (const auto& [k, v] : s.at("labels").as_object())
    labels += " --label " + std::string(k) + "=" + std::string(v.as_string());
  REQUIRE(sh("docker create --name " + std::string(s.at("name").as_string()) + labels + " " + f.env.image +
             " sleep 600 >/dev/null"));
  ephemera::sdk::Reply adopted = f.create(s);
  REQUIRE(adopted.is_ok());
  CHECK(parse(adopted.payload).at("state").as_string() == "running");
}

TEST_CASE("lifecycle: an exit code and finish time are observed; stop keeps the container") {
  Fixture f;
  json::object s = f.spec("exit3", json::array{"sh", "-c", "exit 3"});
  REQUIRE(f.create(s).is_ok());
  auto exited = f.wait_exited(s);
  REQUIRE(exited);
  const json::object& info = *exited;
  CHECK(info.at("exit_code").as_int64() == 3);
  CHECK(info.at("reason").as_string() == "error");
  CHECK(info.at("finished_at_ms").as_int64() >= info.at("created_at_ms").as_int64());

  json::object sleeper = f.spec("sleeper");
  REQUIRE(f.create(sleeper).is_ok());
  ephemera::mock::test::FakeCall fc;
  ephemera::sdk::Reply stopped = f.provider->stop(fc.call(f.host, 20'000), Fixture::ref(sleeper), std::chrono::seconds(5));
  REQUIRE(stopped.is_ok());
  json::object after = parse(stopped.payload);
  CHECK(after.at("state").as_string() == "exited");
  CHECK(after.at("exit_code").as_int64() == 143);  // SIGTERM through docker-init, not a SIGKILL
  CHECK(after.at("reason").as_string() == "stopped");
  CHECK(f.get(sleeper).is_ok());  // kept: logs and exit code stay readable
  ephemera::sdk::Reply gone = f.provider->destroy(fc.call(f.host, 20'000), Fixture::ref(sleeper),
                                                  std::chrono::seconds(1), false);
  CHECK(gone.is_ok());
  CHECK(f.get(sleeper).status == EPH_NOT_FOUND);
  CHECK(containers_named(sleeper).empty());
}
