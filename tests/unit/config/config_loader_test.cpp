#include <catch2/catch.hpp>

#include "config/config_loader.h"
#include "config/did_you_mean.h"
#include "config/provider_reader.h"

using namespace ephemera;
using namespace std::chrono_literals;

namespace {

config::SiteConfig parse_ok(const std::string& text) {
  auto c = config::parse_site_config(text, "t.toml");
  INFO(c.status().message());
  REQUIRE(c.is_ok());
  return c.value();
}

std::string parse_error(const std::string& text) {
  auto c = config::parse_site_config(text, "t.toml");
  REQUIRE_FALSE(c.is_ok());
  CHECK(c.status().code() == StatusCode::kInvalidArgument);
  return c.status().message();
}

const char* kMinimal = "[daemon]\nsite = \"s1\"\n[providers.sim]\nplugin = \"mock\"\n";

}  // namespace

TEST_CASE("a minimal config gets the documented defaults") {
  auto c = parse_ok(kMinimal);
  CHECK(c.daemon.site == "s1");
  CHECK(c.daemon.state_dir == "/var/lib/ephemera");
  CHECK(c.api.socket == "/run/ephemera/ephemerad.sock");
  CHECK(c.api.socket_mode == 0660);
  CHECK(c.intervals.reconcile == 30s);
  CHECK(c.policy_default == domain::WorkerPolicy{});
  REQUIRE(c.providers.size() == 1);
  CHECK(c.providers[0].plugin_path.filename() == "ephemera-mock.so");
  CHECK(c.providers[0].settings_json == "{}");
}

TEST_CASE("values in every form: durations as text or seconds, octal modes, enums") {
  auto c = parse_ok(
      "[daemon]\nsite = \"s1\"\nlog_level = \"debug\"\nlog_format = \"json\"\n"
      "[api]\nsocket_mode = 0o600\nrequest_timeout = 3\n"
      "[policy.default]\nidle_timeout = \"90s\"\nttl_after_completion = 0\nreadiness = \"api\"\n"
      "[policy.max]\nmax_lifetime = \"2h\"\n"
      "[providers.sim]\nplugin = \"/opt/p/x.so\"\norphans = \"report-only\"\nmax_concurrency = 4\n"
      "[providers.sim.policy]\nmax_lifetime = \"3h\"\n");
  CHECK(c.daemon.log_level == config::LogLevel::kDebug);
  CHECK(c.daemon.log_format == config::LogFormat::kJson);
  CHECK(c.api.socket_mode == 0600);
  CHECK(c.api.request_timeout == 3s);
  CHECK(c.policy_default.idle_timeout == 90s);
  CHECK(c.policy_default.ttl_after_completion == 0ms);  // "delete at once", not "unset"
  CHECK(c.policy_default.readiness == domain::Readiness::kApi);
  CHECK(c.policy_default.max_lifetime == 2h);  // the default 4h, capped by [policy.max]
  CHECK(c.providers[0].plugin_path == "/opt/p/x.so");
  CHECK(c.providers[0].orphans == config::OrphanMode::kReportOnly);
  CHECK(c.providers[0].max_concurrency == 4u);
  CHECK(c.providers[0].policy.max_lifetime == 3h);  // a layer: capped when a worker is created
}

TEST_CASE("provider settings reach the plugin as JSON, each key's line remembered") {
  auto c = parse_ok(
      "[daemon]\nsite = \"s1\"\n"       // 1-2
      "[providers.sim]\nplugin = \"mock\"\n"  // 3-4
      "[providers.sim.settings]\n"       // 5
      "start_delay_ms = 5\n"             // 6
      "[providers.sim.settings.faults.create]\n"  // 7
      "fail_nth = 2\n");                 // 8
  const auto& p = c.providers[0];
  CHECK(p.settings_json.find("\"start_delay_ms\"") != std::string::npos);
  CHECK(p.settings_json.find("\"fail_nth\"") != std::string::npos);
  CHECK(p.settings_line == 5);
  CHECK(p.setting_lines.at("/settings/start_delay_ms") == 6);
  CHECK(p.setting_lines.at("/settings/faults/create/fail_nth") == 8);
}

TEST_CASE("errors name the file, the line and the key") {
  CHECK(parse_error("[daemon]\nsite = \"s1\"\nstate_dri = \"/x\"\n") ==
        "config t.toml:3: unknown key 'state_dri' in [daemon] (did you mean 'state_dir'?)");
  CHECK(parse_error("[daemon]\nsite = \"s1\"\n[intervals]\nreconcile = \"0s\"\n[providers.a]\nplugin=\"m\"\n") ==
        "config t.toml:4: 'reconcile' in [intervals]: must be positive");
  CHECK_THAT(parse_error("[daemon]\nsite = 5\n"), Catch::StartsWith("config t.toml:2: 'site' in [daemon]: expected a string"));
  CHECK_THAT(parse_error("[daemon\n"), Catch::StartsWith("config t.toml:1: "));
  CHECK_THAT(parse_error("[daemon]\nsite = \"s1\"\n[policy.default]\nidle_timeout = \"0s\"\n[providers.a]\nplugin=\"m\"\n"),
             Catch::StartsWith("config t.toml:4: "));
}

TEST_CASE("the site and provider names are DNS labels: they go into resource names and labels") {
  CHECK_THAT(parse_error("[daemon]\nsite = \"s1-\"\n[providers.a]\nplugin=\"m\"\n"),
             Catch::Contains("is not a DNS label"));
  CHECK_THAT(parse_error("[daemon]\nsite = \"s1\"\n[providers.sim-]\nplugin=\"m\"\n"),
             Catch::Contains("not at either end"));
  CHECK_THAT(parse_error("[daemon]\nsite = \"s1\"\n[providers." + std::string(41, 'a') + "]\nplugin=\"m\"\n"),
             Catch::Contains("at most 40"));
}

TEST_CASE("a missing file is NOT_FOUND naming it") {
  auto c = config::load_site_config("/nonexistent/ephemera.toml");
  REQUIRE_FALSE(c.is_ok());
  CHECK(c.status().code() == StatusCode::kNotFound);
  CHECK_THAT(c.status().message(), Catch::Contains("/nonexistent/ephemera.toml"));
}

TEST_CASE("the embedded default parses and keeps everything under its base") {
  auto c = parse_ok(config::embedded_default_config("/tmp/base dir \"q\""));
  CHECK(c.daemon.state_dir == "/tmp/base dir \"q\"/state");
  CHECK(c.api.socket == "/tmp/base dir \"q\"/ephemerad.sock");
  REQUIRE(c.providers.size() == 1);
  CHECK(c.providers[0].name == "sim");
}

TEST_CASE("plugin names resolve against the plugin directory") {
  CHECK(config::resolve_plugin("docker", "/p") == "/p/ephemera-docker.so");
  CHECK(config::resolve_plugin("ephemera-x.so", "/p") == "/p/ephemera-x.so");
  CHECK(config::resolve_plugin("/abs/y.so", "/p") == "/abs/y.so");
}

TEST_CASE("did you mean: near misses only") {
  std::vector<std::string> keys{"idle_timeout", "max_lifetime", "ttl_after_completion"};
  CHECK(config::did_you_mean("idle_timout", keys) == "idle_timeout");
  CHECK(config::did_you_mean("ttl_after_complete", keys) == "ttl_after_completion");
  CHECK_FALSE(config::did_you_mean("color", keys).has_value());
  CHECK_FALSE(config::did_you_mean("ab", {"xy"}).has_value());
}
