#include "mock/fault_injector.h"

#include "mock/state_store.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <thread>
#include <utility>

namespace ephemera::mock {
namespace {

// A uniform double in [0, 1) from the top 53 bits: unlike
// std::uniform_real_distribution, identical on every standard library.
double uniform(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * 0x1.0p-53; }

bool call_fails(const OpFault& f, int64_t n, std::mt19937_64& g) {
  bool fails = (f.fail_nth > 0 && n == f.fail_nth) || n <= f.fail_first ||
               (f.fail_every > 0 && n % f.fail_every == 0);
  // Draw on every call when a fraction is set, so the sequence does not
  // depend on the other knobs.
  bool drawn = f.fail_fraction > 0.0 && uniform(g) < f.fail_fraction;
  return fails || drawn;
}

Error injected(Op op, const OpFault& f, int64_t n) {
  return Error{f.status,
               "mock: injected " + std::string(status_name(f.status)) + " on " +
                   std::string(op_name(op)) + " call #" + std::to_string(n) +
                   (f.after_success ? " (after the operation took effect)" : ""),
               {},
               f.retry_after_ms};
}

constexpr std::chrono::milliseconds kCancelPoll{5};
constexpr std::chrono::milliseconds kDeadlineMargin{20};

}  // namespace

FaultInjector::FaultInjector(const FaultTable& configured, std::filesystem::path override_file,
                             sdk::Host host)
    : configured_(configured), override_file_(std::move(override_file)), host_(host) {
  reset(configured_);
}

void FaultInjector::reset(const FaultTable& table) {
  active_ = table;
  calls_.fill(0);
  for (size_t i = 0; i < kOpCount; ++i) random_[i].seed(active_[i].seed);
}

void FaultInjector::reload() {
  Result<std::optional<std::string>> text = read_file(override_file_);
  std::optional<std::string> now = text.ok() ? text.value() : std::nullopt;
  if (now == override_text_) return;
  override_text_ = now;
  if (!now) {
    reset(configured_);
    return;
  }
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(*now, ec);
  Result<FaultTable> table = ec ? Result<FaultTable>(invalid_argument("", "malformed JSON: " + ec.message()))
                                : parse_faults(doc, "");
  if (!table.ok()) {
    host_.error("mock: ignoring " + override_file_.string() + ": " + table.error().message +
                "; using the configured faults");
    reset(configured_);
    return;
  }
  host_.info("mock: faults now from " + override_file_.string());
  reset(table.value());
}

FaultDecision FaultInjector::next(Op op) {
  std::lock_guard lock(mu_);
  reload();
  size_t i = static_cast<size_t>(op);
  const OpFault& f = active_[i];
  int64_t n = ++calls_[i];
  FaultDecision d;
  d.latency = f.latency;
  if (call_fails(f, n, random_[i])) {
    d.failure = injected(op, f, n);
    d.after_success = f.after_success;
  }
  return d;
}

MaybeError sleep_within_deadline(const sdk::Call& call,
                                 std::chrono::steady_clock::time_point call_start,
                                 std::chrono::milliseconds latency) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point wake = call_start + latency;
  // Give up a little before the deadline, so the answer reaches the host
  // before it abandons the call. deadline_ms <= 0 means no deadline.
  const bool bounded = call.deadline().count() > 0;
  const Clock::time_point give_up =
      call_start + call.deadline() - std::min(kDeadlineMargin, call.deadline() / 10);
  const Clock::time_point until = bounded ? std::min(wake, give_up) : wake;
  for (Clock::time_point now = Clock::now(); now < until; now = Clock::now()) {
    if (call.cancelled()) return Error{EPH_DEADLINE_EXCEEDED, "mock: call cancelled by the host", {}, -1};
    std::this_thread::sleep_until(std::min(until, now + kCancelPoll));
  }
  if (call.cancelled()) return Error{EPH_DEADLINE_EXCEEDED, "mock: call cancelled by the host", {}, -1};
  if (until < wake)
    return Error{EPH_DEADLINE_EXCEEDED, "mock: injected latency outlasted the call deadline", {}, -1};
  return std::nullopt;
}

}  // namespace ephemera::mock
