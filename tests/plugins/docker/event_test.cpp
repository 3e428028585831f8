#include "docker/event_mapping.h"

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <vector>

using namespace ephemera::docker;

namespace {

std::string line(const std::string& action, const std::string& id, int64_t nanos,
                 const std::string& extra_attrs = "") {
  return R"({"Type":"container","Action":")" + action + R"(","Actor":{"ID":")" + id +
         R"(","Attributes":{"name":"eph-w-1","image":"busybox","ephemera.dev/worker-id":"w-1")" +
         extra_attrs + R"(}},"time":1,"timeNano":)" + std::to_string(nanos) + "}";
}

DockerEvent event(const std::string& action, const std::string& id, int64_t nanos) {
  return *parse_event(line(action, id, nanos));
}

}  // namespace

TEST_CASE("events: parse keeps id, action, time and attributes; ignores other types") {
  std::optional<DockerEvent> e = parse_event(line("die", "c1", 1700000000123456789, R"(,"exitCode":"143")"));
  REQUIRE(e);
  CHECK(e->id == "c1");
  CHECK(e->action == "die");
  CHECK(e->time_nano == 1700000000123456789);
  CHECK(e->attributes.at("exitCode") == "143");
  CHECK_FALSE(parse_event(R"({"Type":"network","Action":"connect","Actor":{"ID":"n"},"timeNano":1})"));
  CHECK_FALSE(parse_event("garbage"));
}

TEST_CASE("events: since is secs.nanos of the last event") {
  CHECK(since_param(1700000000000000001) == "1700000000.000000001");
  CHECK(since_param(1700000000123456789) == "1700000000.123456789");
}

TEST_CASE("events: the inclusive replay after a reconnect is dropped") {
  EventDeduper d;
  std::vector<DockerEvent> first = {event("create", "c1", 100), event("start", "c1", 200),
                                    event("create", "c2", 200)};
  for (const DockerEvent& e : first) CHECK(d.accept(e));
  CHECK(d.high_water() == 200);
  // Reconnect with since=200: dockerd replays everything at >= 200 again.
  CHECK_FALSE(d.accept(event("start", "c1", 200)));
  CHECK_FALSE(d.accept(event("create", "c2", 200)));
  CHECK_FALSE(d.accept(event("create", "c1", 100)));  // older than the high-water mark
  // A new event at the same instant is not a repeat.
  CHECK(d.accept(event("start", "c2", 200)));
  CHECK(d.accept(event("die", "c1", 300)));
  CHECK_FALSE(d.accept(event("die", "c1", 300)));
}

TEST_CASE("events: mapping to worker info; oom is carried to the die") {
  EventMapper m;
  auto created = m.map(event("create", "c1", 1'000'000'000));
  REQUIRE(created);
  CHECK(created->at("state").as_string() == "pending");
  CHECK(created->at("worker_id").as_string() == "w-1");
  CHECK(created->at("name").as_string() == "eph-w-1");
  CHECK(created->at("labels").as_object().contains("ephemera.dev/worker-id"));
  CHECK_FALSE(created->at("labels").as_object().contains("image"));  // Docker's, not a label
  CHECK(m.map(event("start", "c1", 2))->at("state").as_string() == "running");
  CHECK_FALSE(m.map(event("kill", "c1", 3)));
  CHECK_FALSE(m.map(event("oom", "c1", 4)));
  auto died = m.map(*parse_event(line("die", "c1", 5'000'000, R"(,"exitCode":"137")")));
  REQUIRE(died);
  CHECK(died->at("state").as_string() == "exited");
  CHECK(died->at("exit_code").as_int64() == 137);
  CHECK(died->at("reason").as_string() == "oom");
  CHECK(died->at("finished_at_ms").as_int64() == 5);
  auto stopped = m.map(*parse_event(line("die", "c1", 6, R"(,"exitCode":"143")")));
  CHECK(stopped->at("reason").as_string() == "stopped");  // the oom mark was used up
  CHECK(m.map(event("destroy", "c1", 7))->at("state").as_string() == "gone");
}

TEST_CASE("events: lines are split across chunk boundaries") {
  LineSplitter s;
  std::vector<std::string> got;
  auto collect = [&](std::string_view l) { got.emplace_back(l); };
  s.feed("{\"a\":1}\n{\"b\"", collect);
  CHECK(got.size() == 1);
  s.feed(":2}\n\n{\"c\":3}", collect);
  REQUIRE(got.size() == 2);
  CHECK(got[1] == "{\"b\":2}");
  s.feed("\n", collect);
  CHECK(got.size() == 3);
}
