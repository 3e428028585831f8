// ephemeractl without a daemon: argument parsing, the request each command
// sends, exit codes from answers, and the run loop over a fake HTTP client.
#include <catch2/catch.hpp>

#include <deque>
#include <sstream>

#include "ctl/ctl_runner.h"
#include "ctl/request.h"

namespace ephemera::ctl {
namespace {

Args parse_ok(std::vector<std::string> argv) {
  auto a = parse_args(argv, {});
  INFO((a ? "" : a.error().message));
  REQUIRE(a);
  return a.value();
}

// Answers queued responses in order and records what was sent.
class FakeClient : public HttpClient {
 public:
  std::deque<Response> answers;
  std::vector<Request> sent;
  Outcome<Response> send(const Request& r) override {
    sent.push_back(r);
    if (answers.empty()) return runtime_error("connect /nowhere: no such file");
    Response out = answers.front();
    answers.pop_front();
    return out;
  }
};

struct Run {
  int rc;
  std::string out, err;
};

Run run(FakeClient& client, std::vector<std::string> argv, std::string input = "") {
  std::istringstream in(input);
  std::ostringstream out, err;
  int rc = run_ctl(argv, {}, &client, {in, out, err});
  return {rc, out.str(), err.str()};
}

const char* kWorker =
    R"({"id":"w-1","provider":"sim","state":"Ready","backend":{"phase":"running","exit_code":null},)"
    R"("cleanup":"none","created_at":"2026-12-03T20:15:00.000Z","resource_name":"eph-x-w-1"})";

}  // namespace

TEST_CASE("each command maps to its API request") {
  CHECK(build_request(parse_ok({"workers", "list", "--state", "Ready", "--label", "team=ci", "--limit", "5"})) ==
        Request{"GET", "/v1/workers?state=Ready&label=team%3Dci&limit=5", ""});
  CHECK(build_request(parse_ok({"workers", "get", "w-1"})) == Request{"GET", "/v1/workers/w-1", ""});
  CHECK(build_request(parse_ok({"workers", "idle", "w-1"})) == Request{"POST", "/v1/workers/w-1/idle", ""});
  CHECK(build_request(parse_ok({"workers", "delete", "w-1", "--grace", "30", "--force"})) ==
        Request{"DELETE", "/v1/workers/w-1?grace_seconds=30&force=true", ""});
  CHECK(build_request(parse_ok({"orphans", "scan", "--dry-run"})) == Request{"POST", "/v1/orphans/scan?dry_run=true", ""});
  CHECK(build_request(parse_ok({"gc", "run"})) == Request{"POST", "/v1/gc/run", ""});
  CHECK(build_request(parse_ok({"events", "--after", "7", "--follow"})).target ==
        "/v1/events?after=7&follow=true&timeout=25s");
}

TEST_CASE("create sends provider, spec, policy and idempotency key") {
  auto r = build_request(parse_ok({"workers", "create", "--provider", "sim", "--image", "runner:1", "--ttl", "5m",
                                   "--idempotency-key", "job-1", "--label", "a=b"}));
  CHECK(r.method == "POST");
  CHECK(r.target == "/v1/workers");
  CHECK(r.body.find(R"("provider":"sim")") != std::string::npos);
  CHECK(r.body.find(R"("image":"runner:1")") != std::string::npos);
  CHECK(r.body.find(R"("ttl_after_completion":"5m")") != std::string::npos);
  CHECK(r.body.find(R"("idempotency_key":"job-1")") != std::string::npos);
}

TEST_CASE("usage errors exit 2 without a request") {
  FakeClient c;
  for (std::vector<std::string> argv : {std::vector<std::string>{"frob"}, {"workers", "create"},
                                        {"workers", "get"}, {"workers", "list", "--force"},
                                        {"workers", "create", "--provider", "p", "--ttl", "soon"}}) {
    auto r = run(c, argv);
    INFO(argv[0]);
    CHECK(r.rc == 2);
    CHECK(r.err.find("ephemeractl: ") == 0);
  }
  CHECK(c.sent.empty());
}

TEST_CASE("exit codes follow the answer: 404 is 3, other errors 1, transport trouble 1") {
  FakeClient c;
  c.answers.push_back({404, R"({"error":{"code":"NOT_FOUND","message":"no worker w-9"}})", ""});
  auto r = run(c, {"workers", "get", "w-9"});
  CHECK(r.rc == 3);
  CHECK(r.err.find("NOT_FOUND: no worker w-9") != std::string::npos);
  c.answers.push_back({409, R"({"error":{"code":"ABORTED","message":"not allowed"}})", ""});
  CHECK(run(c, {"workers", "ready", "w-1"}).rc == 1);
  c.answers.push_back({429, R"({"error":{"code":"RESOURCE_EXHAUSTED","message":"queue full"}})", "2"});
  auto busy = run(c, {"workers", "create", "--provider", "sim"});
  CHECK(busy.rc == 1);
  CHECK(busy.err.find("2") != std::string::npos);
  auto down = run(c, {"gc", "run"});  // no answer queued: cannot connect
  CHECK(down.rc == 1);
  CHECK(down.err.find("connect") != std::string::npos);
}

TEST_CASE("a worker renders as a table; -o json prints the body") {
  FakeClient c;
  c.answers.push_back({200, kWorker, ""});
  auto table = run(c, {"workers", "get", "w-1"});
  CHECK(table.rc == 0);
  CHECK(table.out.find("ID") == 0);
  CHECK(table.out.find("w-1") != std::string::npos);
  CHECK(table.out.find("running") != std::string::npos);
  c.answers.push_back({200, kWorker, ""});
  CHECK(run(c, {"-o", "json", "workers", "get", "w-1"}).out == std::string(kWorker) + "\n");
}

TEST_CASE("workers list follows pagination to the last page") {
  FakeClient c;
  c.answers.push_back({200, std::string(R"({"items":[)") + kWorker + R"(],"next":"w-1"})", ""});
  c.answers.push_back({200, R"({"items":[{"id":"w-2","state":"Idle"}],"next":""})", ""});
  auto r = run(c, {"-o", "json", "workers", "list"});
  REQUIRE(c.sent.size() == 2);
  CHECK(c.sent[1].target == "/v1/workers?after=w-1");
  CHECK(r.out.find("w-1") != std::string::npos);
  CHECK(r.out.find("w-2") != std::string::npos);
}

TEST_CASE("spec comes from stdin with --spec -, flags laid over it") {
  FakeClient c;
  c.answers.push_back({200, R"({"image":"x"})", ""});
  auto r = run(c, {"spec", "render", "sim", "--spec", "-", "--image", "override:1"}, R"({"image":"orig","user":"7"})");
  CHECK(r.rc == 0);
  REQUIRE(c.sent.size() == 1);
  CHECK(c.sent[0].target == "/v1/providers/sim/render");
  CHECK(c.sent[0].body.find("override:1") != std::string::npos);
  CHECK(c.sent[0].body.find(R"("user":"7")") != std::string::npos);
  auto bad = run(c, {"spec", "render", "sim", "--spec", "-"}, "not json");
  CHECK(bad.rc == 1);
}

TEST_CASE("version and --version print the version without a request") {
  FakeClient c;
  for (std::vector<std::string> argv : {std::vector<std::string>{"version"}, {"--version"}}) {
    auto r = run(c, argv);
    CHECK(r.rc == 0);
    CHECK(r.out.rfind("ephemeractl ", 0) == 0);
  }
  CHECK(c.sent.empty());
}

}  // namespace ephemera::ctl
