#include "common/status.h"
#include <ephemera/provider.h>

#include <catch2/catch.hpp>

using namespace ephemera;

TEST_CASE("status codes map to and from the ABI and their names") {
  CHECK(status_code_from_abi(EPH_NOT_FOUND) == StatusCode::kNotFound);
  CHECK(status_code_from_abi(EPH_RESOURCE_EXHAUSTED) == StatusCode::kResourceExhausted);
  // Plugin-specific and garbage codes are INTERNAL, never "not found".
  CHECK(status_code_from_abi(1000) == StatusCode::kInternal);
  CHECK(status_code_from_abi(-1) == StatusCode::kInternal);
  CHECK(status_code_name(StatusCode::kDeadlineExceeded) == "DEADLINE_EXCEEDED");
  CHECK(status_code_from_name("UNAVAILABLE") == StatusCode::kUnavailable);
  CHECK_FALSE(status_code_from_name("NOPE").has_value());
}

TEST_CASE("transient errors are the retryable ones and never NOT_FOUND") {
  CHECK(Status(StatusCode::kUnavailable, "down").is_transient());
  CHECK(Status(StatusCode::kDeadlineExceeded, "slow").is_transient());
  CHECK(Status(StatusCode::kResourceExhausted, "429").is_transient());
  CHECK_FALSE(Status(StatusCode::kNotFound, "gone").is_transient());
  CHECK_FALSE(Status(StatusCode::kInvalidArgument, "bad").is_transient());
  CHECK(Status(StatusCode::kUnavailable, "connect refused").to_string() ==
        "UNAVAILABLE: connect refused");
}

TEST_CASE("Result holds a value or the status explaining its absence") {
  Result<int> good = 7;
  REQUIRE(good);
  CHECK(*good == 7);
  CHECK(good.status().is_ok());
  Result<int> bad = Status(StatusCode::kNotFound, "x");
  CHECK_FALSE(bad);
  CHECK(bad.status().code() == StatusCode::kNotFound);
}
