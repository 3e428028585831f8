// The transition table, exhaustively: every (state, input) pair. The
// expectations below are written out from DESIGN.md's table by hand, not
// derived from the code under test; a pair not listed must be rejected and
// write nothing.
#include "domain/transitions.h"

#include <catch2/catch.hpp>

#include <map>
#include <tuple>
#include <vector>

#include "domain/reducer.h"

using namespace ephemera;
using namespace ephemera::domain;
using S = WorkerState;
using I = InputKind;
using E = EventType;
using V = Decision::Verdict;
using FX = SideEffect;

namespace {

const WallTime kT0 = WallTime(std::chrono::hours(500000));

struct Expect {
  V verdict;
  S to;
  std::vector<E> events;
  FX effect = FX::kNone;
};

// The table. Inputs that carry data use the defaults of input_for() below.
std::map<std::pair<S, I>, Expect> table() {
  std::map<std::pair<S, I>, Expect> t;
  auto row = [&](S from, I in, Expect e) { t[{from, in}] = std::move(e); };
  const S live[] = {S::kInitializing, S::kReady, S::kRunning, S::kIdle};
  // Created
  row(S::kCreated, I::kCreateOk, {V::kApply, S::kInitializing, {E::kWorkerInitializing}});
  row(S::kCreated, I::kCreateFailed, {V::kApply, S::kFailed, {E::kWorkerFailed}});
  row(S::kCreated, I::kCreateUnknown, {V::kNoop, S::kCreated, {}, FX::kLookupByLabel});
  row(S::kCreated, I::kRecoveredFound, {V::kApply, S::kInitializing, {E::kWorkerAdopted}});
  row(S::kCreated, I::kMaxLifetime, {V::kApply, S::kTerminating, {E::kWorkerTerminating}, FX::kStop});
  row(S::kCreated, I::kApiDelete, {V::kApply, S::kTerminating, {E::kWorkerTerminating}, FX::kDestroy});
  // Initializing
  row(S::kInitializing, I::kCreateOk, {V::kNoop, S::kInitializing, {}});
  row(S::kInitializing, I::kBackendRunning, {V::kApply, S::kReady, {E::kWorkerReady}});
  row(S::kInitializing, I::kApiReady, {V::kApply, S::kReady, {E::kWorkerReady}});
  row(S::kInitializing, I::kStartupTimeout, {V::kApply, S::kTerminating, {E::kWorkerTerminating}, FX::kStop});
  // Ready / Running / Idle
  row(S::kReady, I::kApiRunning, {V::kApply, S::kRunning, {E::kWorkerRunning}});
  row(S::kIdle, I::kApiRunning, {V::kApply, S::kRunning, {E::kWorkerRunning}});
  row(S::kRunning, I::kApiIdle, {V::kApply, S::kIdle, {E::kWorkerIdle}});
  row(S::kReady, I::kIdleTimeout, {V::kApply, S::kTerminating, {E::kWorkerTerminating}, FX::kStop});
  row(S::kIdle, I::kIdleTimeout, {V::kApply, S::kTerminating, {E::kWorkerTerminating}, FX::kStop});
  // Reports of the state a worker is already in (and Ready → idle): no-ops.
  row(S::kReady, I::kApiReady, {V::kNoop, S::kReady, {}});
  row(S::kRunning, I::kApiRunning, {V::kNoop, S::kRunning, {}});
  row(S::kIdle, I::kApiIdle, {V::kNoop, S::kIdle, {}});
  row(S::kReady, I::kApiIdle, {V::kNoop, S::kReady, {}});
  for (S s : {S::kReady, S::kRunning, S::kIdle, S::kTerminating}) row(s, I::kBackendRunning, {V::kNoop, s, {}});
  for (S s : live) {
    row(s, I::kMaxLifetime, {V::kApply, S::kTerminating, {E::kWorkerTerminating}, FX::kStop});
    row(s, I::kApiComplete, {V::kApply, S::kTerminating, {E::kWorkerTerminating}, FX::kStop});
    row(s, I::kApiDelete, {V::kApply, S::kTerminating, {E::kWorkerTerminating}, FX::kDestroy});
    row(s, I::kBackendExited, {V::kApply, S::kTerminated, {E::kWorkerTerminated}});  // exit 0
    row(s, I::kBackendGone, {V::kApply, S::kFailed, {E::kWorkerFailed, E::kWorkerCleanedUp}});
    row(s, I::kRecoveredGone, {V::kApply, S::kFailed, {E::kWorkerLost, E::kWorkerCleanedUp}});
  }
  // Terminating
  row(S::kTerminating, I::kApiDelete, {V::kApply, S::kTerminating, {E::kWorkerTerminating}, FX::kDestroy});
  row(S::kTerminating, I::kBackendExited, {V::kApply, S::kTerminated, {E::kWorkerTerminated}});
  row(S::kTerminating, I::kBackendGone, {V::kApply, S::kTerminated, {E::kWorkerTerminated}});
  row(S::kTerminating, I::kStopOverdue, {V::kNoop, S::kTerminating, {}, FX::kDestroy});
  row(S::kTerminating, I::kRecoveredGone, {V::kApply, S::kTerminated, {E::kWorkerLost, E::kWorkerCleanedUp}});
  // Terminated / Failed, cleanup pending
  for (S s : {S::kTerminated, S::kFailed}) {
    row(s, I::kCleanupDue, {V::kNoop, s, {}, FX::kDestroy});
    row(s, I::kCleanupConfirmed, {V::kApply, s, {E::kWorkerCleanedUp}});
    row(s, I::kRecoveredGone, {V::kApply, s, {E::kWorkerCleanedUp}});
    row(s, I::kApiDelete, {V::kNoop, s, {}, FX::kDestroy});
  }
  return t;
}

Input input_for(I kind) {
  Input in{kind};
  if (kind == I::kBackendExited) in.exit_code = 0;
  if (kind == I::kCreateOk || kind == I::kRecoveredFound) in.resource_id = "res-1";
  if (kind == I::kCreateFailed) in.reason = "image not found";
  return in;
}

// A record in `state`, as the reducer would have made it.
WorkerRecord record_in(S state) {
  CreationIntent intent;
  intent.provider = "mock";
  intent.resource_name = "eph-t-w1";
  WorkerRecord r = apply_event({}, worker_created("w1", intent, kT0));
  auto step = [&](E type, std::string reason = {}) {
    Event e;
    e.worker_id = "w1";
    e.type = type;
    e.at = kT0;
    e.reason = std::move(reason);
    r = apply_event(r, e);
  };
  switch (state) {
    case S::kCreated: break;
    case S::kInitializing: step(E::kWorkerInitializing); break;
    case S::kReady: step(E::kWorkerInitializing); step(E::kWorkerReady); break;
    case S::kRunning: step(E::kWorkerInitializing); step(E::kWorkerReady); step(E::kWorkerRunning); break;
    case S::kIdle:
      step(E::kWorkerInitializing); step(E::kWorkerReady); step(E::kWorkerRunning); step(E::kWorkerIdle);
      break;
    case S::kTerminating: step(E::kWorkerInitializing); step(E::kWorkerTerminating, "completed"); break;
    case S::kTerminated: step(E::kWorkerInitializing); step(E::kWorkerTerminated, "exit 0"); break;
    case S::kFailed: step(E::kWorkerInitializing); step(E::kWorkerFailed, "oom"); break;
  }
  REQUIRE(r.state == state);
  return r;
}

}  // namespace

TEST_CASE("every (state, input) pair follows the table; the rest are rejected and write nothing") {
  const auto expected = table();
  int applied = 0, noops = 0, rejected = 0;
  for (S s : kAllStates) {
    for (I in : kAllInputs) {
      CAPTURE(state_name(s), input_name(in));
      WorkerRecord r = record_in(s);
      Decision d = decide(r, input_for(in), kT0 + std::chrono::seconds(1));
      auto it = expected.find({s, in});
      if (it == expected.end()) {
        CHECK(d.verdict == V::kReject);
        CHECK(d.events.empty());
        CHECK(d.effect == FX::kNone);
        CHECK_FALSE(d.why.empty());
        ++rejected;
        continue;
      }
      const Expect& x = it->second;
      REQUIRE(d.verdict == x.verdict);
      CHECK(d.effect == x.effect);
      std::vector<E> types;
      for (const auto& e : d.events) types.push_back(e.type);
      CHECK(types == x.events);
      WorkerRecord after = r;
      for (const auto& e : d.events) after = apply_event(after, e);
      CHECK(after.state == x.to);
      if (x.verdict == V::kNoop) {
        CHECK(d.events.empty());
        CHECK(after == r);  // resets no timer
      }
      (x.verdict == V::kApply ? applied : noops)++;
    }
  }
  CHECK(applied + noops + rejected == 8 * 19);
  CHECK(rejected > 0);
}

TEST_CASE("backend exit codes split Terminated from Failed") {
  WorkerRecord r = record_in(S::kRunning);
  Input bad{I::kBackendExited};
  bad.exit_code = 3;
  Decision d = decide(r, bad, kT0);
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].type == E::kWorkerFailed);
  CHECK(d.events[0].reason == "exit 3");
  CHECK(d.events[0].exit_code == 3);
  Input oom{I::kBackendExited};
  oom.exit_code = 0;
  oom.reason = "oom";
  CHECK(decide(r, oom, kT0).events[0].type == E::kWorkerFailed);
  // Exit 143 from our own stop ends a Terminating worker as Terminated, with the stop's reason.
  WorkerRecord stopping = record_in(S::kTerminating);
  Input sigterm{I::kBackendExited};
  sigterm.exit_code = 143;
  Decision t = decide(stopping, sigterm, kT0);
  CHECK(t.events[0].type == E::kWorkerTerminated);
  CHECK(t.events[0].reason == "completed");
}

TEST_CASE("a repeated delete writes nothing but destroys again") {
  WorkerRecord r = record_in(S::kRunning);
  Input del{I::kApiDelete};
  Decision first = decide(r, del, kT0);
  REQUIRE(first.verdict == V::kApply);
  for (const auto& e : first.events) r = apply_event(r, e);
  Decision second = decide(r, del, kT0);
  CHECK(second.verdict == V::kNoop);
  CHECK(second.effect == FX::kDestroy);
}

TEST_CASE("cleanup already confirmed is a no-op; auto cleanup off destroys nothing") {
  WorkerRecord r = record_in(S::kTerminated);
  Decision d = decide(r, Input{I::kCleanupConfirmed}, kT0);
  for (const auto& e : d.events) r = apply_event(r, e);
  CHECK(r.cleanup == CleanupStatus::kDone);
  CHECK(decide(r, Input{I::kCleanupConfirmed}, kT0).verdict == V::kNoop);
  CHECK(decide(r, Input{I::kCleanupDue}, kT0).verdict == V::kReject);

  WorkerRecord manual = record_in(S::kFailed);
  manual.intent.policy.auto_cleanup_enabled = false;
  Decision due = decide(manual, Input{I::kCleanupDue}, kT0);
  CHECK(due.effect == FX::kNone);
  // An API delete still works.
  CHECK(decide(manual, Input{I::kApiDelete}, kT0).effect == FX::kDestroy);
}

TEST_CASE("readiness = api ignores backend running in Initializing") {
  WorkerRecord r = record_in(S::kInitializing);
  r.intent.policy.readiness = Readiness::kApi;
  CHECK(decide(r, Input{I::kBackendRunning}, kT0).verdict == V::kNoop);
  CHECK(decide(r, Input{I::kApiReady}, kT0).events.at(0).type == E::kWorkerReady);
}
