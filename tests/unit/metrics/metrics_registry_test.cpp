#include "metrics/metrics_registry.h"

#include <catch2/catch.hpp>

using namespace ephemera::metrics;

TEST_CASE("counters, gauges and histograms render in the Prometheus text format") {
  MetricsRegistry r;
  r.describe("t_total", MetricsRegistry::Type::kCounter, "A counter.");
  r.describe("t_gauge", MetricsRegistry::Type::kGauge, "A gauge.");
  r.describe("t_seconds", MetricsRegistry::Type::kHistogram, "A histogram.", {0.1, 1});
  r.add("t_total", {{"op", "create"}});
  r.add("t_total", {{"op", "create"}}, 2);
  r.set("t_gauge", {{"state", "Ready"}}, 7);
  r.observe("t_seconds", {}, 0.05);
  r.observe("t_seconds", {}, 0.5);
  r.observe("t_seconds", {}, 5);
  std::string text = r.render();
  CHECK_THAT(text, Catch::Contains("# TYPE t_total counter\nt_total{op=\"create\"} 3\n"));
  CHECK_THAT(text, Catch::Contains("t_gauge{state=\"Ready\"} 7\n"));
  CHECK_THAT(text, Catch::Contains("t_seconds_bucket{le=\"0.1\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("t_seconds_bucket{le=\"1\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("t_seconds_bucket{le=\"+Inf\"} 3\n"));
  CHECK_THAT(text, Catch::Contains("t_seconds_count 3\n"));
}

TEST_CASE("label values are escaped") {
  MetricsRegistry r;
  r.describe("x", MetricsRegistry::Type::kGauge, "x");
  r.set("x", {{"msg", "a\"b\\c\nd"}}, 1);
  CHECK_THAT(r.render(), Catch::Contains(R"(x{msg="a\"b\\c\nd"} 1)"));
}
