#include "store/event_codec.h"

#include <catch2/catch.hpp>

#include "domain/reducer.h"
#include "store/event_store.h"
#include "store_fixture.h"

using namespace ephemera;
using namespace ephemera::store;
using namespace ephemera::store::testing;
using domain::WorkerRecord;

namespace {

// An instant with sub-millisecond digits: the codec must not round it.
const WallTime kOdd = kT0 + std::chrono::nanoseconds(123'456'789);

Event decoded(const Event& e) {
  auto back = decode_event(encode_event(e));
  INFO(back.status().to_string());
  REQUIRE(back);
  return *back;
}

// Replaces the first `from` in `text` by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("every event type round-trips exactly, defaults and all fields") {
  for (int t = 0; t <= static_cast<int>(EventType::kOrphanWorkerDetected); ++t) {
    Event e = event(static_cast<EventType>(t), "w-1", kOdd);
    e.seq = 18'446'744'073'709'551'000ULL;  // beyond int64: seqs are unsigned
    CHECK(decoded(e) == e);
    e.reason = "oom";
    e.exit_code = -9;
    e.resource_id = "c0ffee";
    e.grace = 30s;
    e.force = true;
    e.provider = "docker-local";
    e.intent = intent_for("w-1");
    e.intent->policy.ttl_after_completion = 0ms;  // "delete at once" is not "unset"
    CHECK(decoded(e) == e);
  }
}

TEST_CASE("strings round-trip byte for byte: quotes, control characters, NUL, non-UTF-8") {
  Event e = event(EventType::kWorkerFailed, "w-\"odd\"\\", kOdd);
  e.reason = std::string("line\nbreak\t\x01 nul:") + '\0' + " bad utf-8:\xff\xfe end \u00e9\u2603";
  e.intent = intent_for("w-odd");
  e.intent->labels["k\x7f"] = std::string("v\0v", 3);
  e.intent->redacted_spec = "{\"env\":{\"A\":\"<redacted>\"}}";
  CHECK(decoded(e) == e);
}

TEST_CASE("a record folded through a whole life round-trips exactly") {
  WorkerRecord r;
  for (Event& e : whole_life("w-2", kOdd + 1h)) {
    e.seq = r.last_seq + 1;
    e.at = e.at + std::chrono::nanoseconds(7);
    r = domain::apply_event(r, e);
  }
  r.intent.policy.ttl_after_completion = 90s;
  REQUIRE(r.cleaned_up_at.has_value());
  REQUIRE(r.backend.finished_at.has_value());
  auto back = decode_record(encode_record(r));
  INFO(back.status().to_string());
  REQUIRE(back);
  CHECK(*back == r);

  WorkerRecord fresh;  // every optional empty
  auto empty = decode_record(encode_record(fresh));
  REQUIRE(empty);
  CHECK(*empty == fresh);
}

TEST_CASE("policy JSON: integer milliseconds, an unset TTL is null") {
  domain::WorkerPolicy p;
  std::string json = encode_policy(p);
  CHECK_THAT(json, Catch::Contains("\"max_lifetime_ms\":14400000"));
  CHECK_THAT(json, Catch::Contains("\"ttl_after_completion_ms\":null"));
  auto back = decode_policy(json);
  REQUIRE(back);
  CHECK(*back == p);

  p.ttl_after_completion = 0ms;
  p.readiness = domain::Readiness::kApi;
  p.auto_cleanup_enabled = false;
  back = decode_policy(encode_policy(p));
  REQUIRE(back);
  CHECK(*back == p);
}

TEST_CASE("a payload from a newer version is refused, naming the version") {
  std::string newer = replaced(encode_event(created("w-3")), "\"v\":1", "\"v\":2");
  auto e = decode_event(newer);
  REQUIRE_FALSE(e);
  CHECK(e.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(e.status().message(), Catch::Contains("version 2 is newer") && Catch::Contains("(1)"));

  auto r = decode_record(replaced(encode_record(WorkerRecord{}), "\"v\":1", "\"v\":7"));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.status().message(), Catch::Contains("version 7"));
}

TEST_CASE("malformed payloads are INVALID_ARGUMENT naming what is wrong") {
  auto not_json = decode_event("{\"v\":1,");
  REQUIRE_FALSE(not_json);
  CHECK(not_json.status().code() == StatusCode::kInvalidArgument);

  auto no_type = decode_event(replaced(encode_event(created("w-4")), "\"type\"", "\"kind\""));
  REQUIRE_FALSE(no_type);
  CHECK_THAT(no_type.status().message(), Catch::Contains("'type'"));

  auto bad_type = decode_event(replaced(encode_event(created("w-4")), "WorkerCreated", "WorkerExploded"));
  REQUIRE_FALSE(bad_type);
  CHECK_THAT(bad_type.status().message(), Catch::Contains("'type'"));

  auto bad_policy = decode_event(replaced(encode_event(created("w-4")), "\"idle_timeout_ms\":600000",
                                          "\"idle_timeout_ms\":\"10m\""));
  REQUIRE_FALSE(bad_policy);
  CHECK_THAT(bad_policy.status().message(), Catch::Contains("'idle_timeout_ms'"));

  CHECK_FALSE(decode_event("[1,2]"));
  CHECK_FALSE(decode_record("{\"v\":1}"));
}
