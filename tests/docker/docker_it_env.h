// Shared helpers of the real-dockerd integration tests: the provider opened
// on the private daemon (DOCKER_HOST from the ctest environment, i.e. the
// fixture's env.sh), specs with this run's labels, the docker CLI as an
// independent witness, and bounded polling instead of sleeps.
#pragma once

#include "docker/docker_provider.h"
#include "fake_host.h"

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace ephemera::docker::it {

namespace json = boost::json;

struct Env {
  std::string state_dir;  // EPHEMERA_DOCKER_STATE_DIR
  std::string image;      // EPHEMERA_TEST_IMAGE
  static Env from_environment();
};

class Fixture {
 public:
  // `extra_settings`: more members of the settings table, e.g. R"(,"init":false)".
  explicit Fixture(const std::string& extra_settings = "");
  ~Fixture();  // force-removes every container this fixture created

  mock::test::FakeHost host;
  std::unique_ptr<DockerProvider> provider;
  Env env = Env::from_environment();

  json::object spec(const std::string& suffix, json::array command = {"sleep", "600"});
  static std::string ref(const json::object& spec_or_info);
  sdk::Reply create(const json::object& spec);
  sdk::Reply get(const json::object& spec);
  sdk::Reply list();
  // Polls get until the container is observed exited (up to 20 s); returns
  // that worker info, or nullopt on timeout.
  std::optional<json::object> wait_exited(const json::object& spec);
  const std::string& instance() const { return instance_; }

 private:
  std::string instance_;
  std::vector<std::string> refs_;
};

// Runs a shell command (with the fixture's DOCKER_HOST); returns stdout, or
// nullopt when it exited non-zero.
std::optional<std::string> sh(const std::string& command);
// `docker inspect ID` as JSON.
json::object docker_inspect(const std::string& id);
// Polls `pred` every 50 ms until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout);
json::object parse(const std::string& text);

}  // namespace ephemera::docker::it
