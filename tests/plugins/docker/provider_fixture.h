// Shared by the unit tests that drive DockerProvider against FakeDockerd:
// a provider opened on a given DOCKER_HOST, canned answers and documents.
#pragma once

#include "docker/docker_provider.h"
#include "fake_dockerd.h"
#include "fake_host.h"

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

namespace ephemera::docker::test {

using mock::test::FakeCall;
using mock::test::FakeHost;

inline constexpr const char* kSpec = R"({"schema":1,"worker_id":"w-1","name":"eph-w-1",
  "labels":{"ephemera.dev/worker-id":"w-1"},"image":"img:1"})";
inline constexpr const char* kRef = R"({"schema":1,"name":"eph-w-1","worker_id":"w-1"})";
inline constexpr const char* kSelector = R"({"schema":1,"labels":{"ephemera.dev/instance":"i1"}})";
inline constexpr const char* kInspect = R"({"Id":"c0ffee","Name":"/eph-w-1","Created":"2026-12-04T05:00:00Z",
  "Config":{"Labels":{"ephemera.dev/worker-id":"w-1"}},"State":{"Status":"running","StartedAt":"2026-12-04T05:00:01Z"}})";

// Opens a provider (instance_id "i1") on `docker_host`; `extra` adds settings members.
inline std::unique_ptr<DockerProvider> open_provider(FakeHost& host, const std::string& docker_host,
                                                     const std::string& extra = "") {
  std::unique_ptr<DockerProvider> p;
  std::string config = R"({"schema":1,"instance_id":"i1","settings":{"host":")" + docker_host + "\"" +
                       extra + R"(,"watch_backoff_max_ms":200}})";
  sdk::Reply r = DockerProvider::open(host.host(), config, p);
  REQUIRE(r.is_ok());
  return p;
}

inline FakeDockerd::Answer ping(const std::string& version) {
  return FakeDockerd::reply(200, "OK", "API-Version: " + version + "\r\n");
}

// Requests with this method whose target contains `part`.
inline int count(const std::vector<FakeDockerd::Request>& reqs, const std::string& method,
                 const std::string& part) {
  int n = 0;
  for (const auto& r : reqs)
    if (r.method == method && r.target.find(part) != std::string::npos) ++n;
  return n;
}

}  // namespace ephemera::docker::test
