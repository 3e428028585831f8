#include "common/duration.h"

#include <catch2/catch.hpp>

using namespace ephemera;
using namespace std::chrono_literals;

TEST_CASE("durations parse as people write them") {
  CHECK(parse_duration("90s").value() == 90s);
  CHECK(parse_duration("5m").value() == 5min);
  CHECK(parse_duration("1h30m").value() == 90min);
  CHECK(parse_duration("250ms").value() == 250ms);
  CHECK(parse_duration("2d").value() == 48h);
  CHECK(parse_duration("600").value() == 600s);
  CHECK(parse_duration("0s").value() == 0ms);
}

TEST_CASE("bad durations name the text and the fix") {
  for (const char* bad : {"", "5", "5x", "h", "-5m", "1.5h", "99999999999999999999s", "5 m"}) {
    CAPTURE(bad);
    if (std::string_view(bad) == "5") continue;  // a bare integer is seconds
    auto r = parse_duration(bad);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.status().message(), Catch::Contains("invalid duration '" + std::string(bad) + "'"));
  }
}

TEST_CASE("durations format to their shortest exact form and round-trip") {
  CHECK(format_duration(90min) == "1h30m");
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(0ms) == "0s");
  for (std::chrono::milliseconds d : {1ms, 1000ms, 61000ms, 3601000ms, 176400000ms, 1500ms}) CHECK(parse_duration(format_duration(d)).value() == d);
}
