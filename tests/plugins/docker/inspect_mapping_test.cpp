#include "docker/inspect_mapping.h"

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

using namespace ephemera::docker;

namespace {

json::object inspect(const std::string& state) {
  return json::parse(R"({"Id":"abc123","Name":"/eph-w-1","Created":"2026-12-04T05:00:00.5Z",
    "Config":{"Labels":{"ephemera.dev/worker-id":"w-1","team":"ci"}},"State":)" + state + "}")
      .as_object();
}

constexpr int64_t kCreatedMs = 1796360400500;  // 2026-12-04T05:00:00.5Z

}  // namespace

TEST_CASE("times: RFC 3339 with nanoseconds and offsets; the zero time is absent") {
  CHECK(parse_docker_time("2026-12-04T05:00:00.5Z") == kCreatedMs);
  CHECK(parse_docker_time("2026-12-04T05:00:00.123456789Z") == kCreatedMs - 500 + 123);
  CHECK(parse_docker_time("2026-12-04T06:00:00+01:00") == kCreatedMs - 500);
  CHECK(parse_docker_time("0001-01-01T00:00:00Z") == std::nullopt);
  CHECK(parse_docker_time("yesterday") == std::nullopt);
}

TEST_CASE("inspect: created is pending, with identity and created time") {
  json::object info = info_from_inspect(inspect(R"({"Status":"created","ExitCode":0,"Error":"",
    "StartedAt":"0001-01-01T00:00:00Z","FinishedAt":"0001-01-01T00:00:00Z"})"));
  CHECK(info.at("schema").as_int64() == 1);
  CHECK(info.at("state").as_string() == "pending");
  CHECK(info.at("resource_id").as_string() == "abc123");
  CHECK(info.at("name").as_string() == "eph-w-1");
  CHECK(info.at("worker_id").as_string() == "w-1");
  CHECK(info.at("labels").at("team").as_string() == "ci");
  CHECK(info.at("created_at_ms").as_int64() == kCreatedMs);
  CHECK_FALSE(info.contains("started_at_ms"));
  CHECK_FALSE(info.contains("exit_code"));
}

TEST_CASE("inspect: running, paused and restarting are running") {
  for (const char* s : {"running", "paused", "restarting"}) {
    json::object info = info_from_inspect(
        inspect(std::string(R"({"Status":")") + s + R"(","StartedAt":"2026-12-04T05:00:01Z"})"));
    CHECK(info.at("state").as_string() == "running");
    CHECK(info.at("started_at_ms").as_int64() == kCreatedMs + 500);
  }
}

TEST_CASE("inspect: exited carries code, reason and finish time") {
  struct Case {
    int code;
    bool oom;
    const char* reason;
  };
  for (const Case& k : {Case{0, false, "completed"}, Case{143, false, "stopped"}, Case{137, false, "killed"},
                        Case{137, true, "oom"}, Case{3, false, "error"}}) {
    json::object info = info_from_inspect(inspect(
        R"({"Status":"exited","ExitCode":)" + std::to_string(k.code) + R"(,"OOMKilled":)" +
        (k.oom ? "true" : "false") + R"(,"Error":"","FinishedAt":"2026-12-04T05:00:10Z"})"));
    CHECK(info.at("state").as_string() == "exited");
    CHECK(info.at("exit_code").as_int64() == k.code);
    CHECK(info.at("reason").as_string() == k.reason);
    CHECK(info.at("oom_killed").as_bool() == k.oom);
    CHECK(info.at("finished_at_ms").as_int64() == kCreatedMs + 9500);
  }
}

TEST_CASE("inspect: a failed start is exited with reason start_failed") {
  json::object info = info_from_inspect(inspect(
      R"({"Status":"created","ExitCode":127,"Error":"exec: \"nope\": executable file not found"})"));
  CHECK(info.at("state").as_string() == "exited");
  CHECK(info.at("exit_code").as_int64() == 127);
  CHECK(info.at("reason").as_string() == "start_failed");
  CHECK_THAT(std::string(info.at("error").as_string()), Catch::Contains("not found"));
}

TEST_CASE("list summary: state, exit code from Status, created seconds") {
  json::object s = json::parse(R"({"Id":"ff01","Names":["/eph-w-2"],"Created":1796360400,
    "Labels":{"ephemera.dev/worker-id":"w-2"},"State":"exited","Status":"Exited (137) 5 seconds ago"})").as_object();
  json::object info = info_from_summary(s);
  CHECK(info.at("name").as_string() == "eph-w-2");
  CHECK(info.at("worker_id").as_string() == "w-2");
  CHECK(info.at("state").as_string() == "exited");
  CHECK(info.at("exit_code").as_int64() == 137);
  CHECK(info.at("reason").as_string() == "killed");
  CHECK(info.at("created_at_ms").as_int64() == 1796360400000);
  s["State"] = "running";
  CHECK(info_from_summary(s).at("state").as_string() == "running");
  s["State"] = "created";
  CHECK(info_from_summary(s).at("state").as_string() == "pending");
}
