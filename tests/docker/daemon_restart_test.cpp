// The daemon goes away and comes back: nothing reads as NOT_FOUND meanwhile,
// the watch reconnects and asks for a reconcile, and the restarted daemon's
// stopped container is observed as exited.
#include "docker_it_env.h"

#include <catch2/catch.hpp>

using namespace ephemera::docker::it;

namespace {

std::string scripts() { return std::string(EPHEMERA_SOURCE_DIR) + "/tests/docker/"; }

bool healthy(Fixture& f) {
  ephemera::mock::test::FakeCall fc;
  return f.provider->health(fc.call(f.host, 2'000)).is_ok();
}

}  // namespace

TEST_CASE("daemon stopped: get and list are UNAVAILABLE; after restart the watch reconnects") {
  Fixture f;
  json::object s = f.spec("survivor");
  REQUIRE(f.create(s).is_ok());
  REQUIRE(f.provider->watch_start().is_ok());
  REQUIRE(f.host.wait_for_reconcile(std::chrono::seconds(10)));  // the stream is up
  const int reconciles_before = f.host.reconcile_requests();

  REQUIRE(sh("kill -TERM $(cat " + f.env.state_dir + "/dockerd.pid)"));
  REQUIRE(eventually([&] { return !healthy(f); }, std::chrono::seconds(30)));
  ephemera::sdk::Reply got = f.get(s);
  CHECK(got.status == EPH_UNAVAILABLE);
  INFO(got.message);
  CHECK(f.list().status == EPH_UNAVAILABLE);
  ephemera::mock::test::FakeCall fc;
  CHECK(f.provider->destroy(fc.call(f.host, 5'000), Fixture::ref(s), std::chrono::seconds(0), true).status ==
        EPH_UNAVAILABLE);

  // dockerd-up.sh restarts whatever was stopped, with the same state dir.
  REQUIRE(sh(scripts() + "dockerd-up.sh " + f.env.state_dir + " >/dev/null 2>&1"));
  REQUIRE(eventually([&] { return healthy(f); }, std::chrono::seconds(30)));
  // Without live-restore the daemon stopped the container: exited, not gone.
  json::object info = parse(f.get(s).payload);
  REQUIRE(info.contains("state"));
  CHECK(info.at("state").as_string() == "exited");
  CHECK(eventually([&] { return f.host.reconcile_requests() > reconciles_before; }, std::chrono::seconds(15)));
  REQUIRE(f.provider->watch_stop().is_ok());
}

TEST_CASE("watch: a real container's lifecycle is pushed, then nothing after watch_stop") {
  Fixture f;
  REQUIRE(f.provider->watch_start().is_ok());
  REQUIRE(f.host.wait_for_reconcile(std::chrono::seconds(10)));
  json::object s = f.spec("watched", json::array{"sh", "-c", "exit 0"});
  const std::string worker(s.at("worker_id").as_string());
  REQUIRE(f.create(s).is_ok());
  auto pushed = [&](const std::string& state) {
    return f.host.wait_for_push([&](const json::object& o) {
      return o.at("worker_id").as_string() == worker && o.at("state").as_string() == state;
    }, std::chrono::seconds(20));
  };
  CHECK(pushed("running"));
  CHECK(pushed("exited"));
  ephemera::mock::test::FakeCall fc;
  REQUIRE(f.provider->destroy(fc.call(f.host, 10'000), Fixture::ref(s), std::chrono::seconds(0), true).is_ok());
  CHECK(pushed("gone"));
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(f.provider->watch_stop().is_ok());
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  const size_t before = f.host.pushes().size();
  json::object later = f.spec("later", json::array{"true"});
  REQUIRE(f.create(later).is_ok());
  // Bounded wait for a push that must not come.
  CHECK_FALSE(f.host.wait_for_push([&](const json::object& o) {
    return o.at("worker_id").as_string() == later.at("worker_id").as_string();
  }, std::chrono::milliseconds(500)));
  CHECK(f.host.pushes().size() == before);
}
