#include "kit_runner.h"

#include <exception>

namespace ephemera::kit {

using namespace plugin_host;

namespace {

struct Tally {
  int passed = 0, failed = 0, skipped = 0;
};

void report(std::ostream& out, Tally& tally, const std::string& name, const CheckOutcome& o) {
  const char* tag = "ok  ";
  switch (o.verdict) {
    case CheckOutcome::Verdict::kPass: ++tally.passed; break;
    case CheckOutcome::Verdict::kFail: ++tally.failed; tag = "FAIL"; break;
    case CheckOutcome::Verdict::kSkip: ++tally.skipped; tag = "skip"; break;
  }
  out << tag << " " << name << (o.detail.empty() ? "" : " — " + o.detail) << "\n" << std::flush;
}

void run_checks(std::ostream& out, Tally& tally, KitContext& ctx, const std::vector<Check>& checks) {
  for (const auto& check : checks) {
    CheckOutcome outcome;
    try {
      outcome = check.run(ctx);
    } catch (const std::exception& e) {
      outcome = CheckOutcome::fail(std::string("check threw: ") + e.what());
    }
    report(out, tally, check.name, outcome);
  }
}

int summary(std::ostream& out, const Tally& t) {
  out << t.passed << " passed, " << t.failed << " failed";
  if (t.skipped > 0) out << ", " << t.skipped << " skipped";
  out << "\n";
  return t.failed == 0 ? 0 : 1;
}

}  // namespace

int run_kit(KitOptions options, std::ostream& out) {
  Tally tally;
  KitContext ctx(std::move(options));

  auto library = PluginLibrary::load(ctx.options().plugin);
  if (!library) {
    report(out, tally, "negotiation", CheckOutcome::fail(library.status().message()));
    return summary(out, tally);
  }
  ctx.library = library.value();
  report(out, tally, "negotiation", CheckOutcome::pass(ctx.library->describe()));
  run_checks(out, tally, ctx, config_checks());

  InstanceOptions io;
  io.name = "kit";
  io.config_json = ctx.config_json();
  io.hooks.status_pushed = [&ctx](std::string info) { ctx.record_push(std::move(info)); };
  io.hooks.log = [](int32_t, std::string_view) {};  // keep the kit's output to one line per check
  io.drain_timeout = std::chrono::seconds(30);
  auto instance = ProviderInstance::open(ctx.library, io);
  if (!instance) {
    report(out, tally, "open", CheckOutcome::fail(instance.status().message()));
    return summary(out, tally);
  }
  ctx.instance = std::move(instance.value());
  report(out, tally, "open", CheckOutcome::pass());

  run_checks(out, tally, ctx, lifecycle_checks());
  run_checks(out, tally, ctx, robustness_checks());
  run_checks(out, tally, ctx, watch_checks());

  size_t leftovers = ctx.cleanup();
  KitContext::Timing timing = ctx.timing();
  report(out, tally, "deadlines respected",
         timing.overruns == 0
             ? CheckOutcome::pass(std::to_string(timing.calls) + " calls, slowest " +
                                  std::to_string(timing.slowest.count()) + " ms")
             : CheckOutcome::fail(std::to_string(timing.overruns) + " calls overran their deadline"));
  std::optional<size_t> remaining = ctx.remaining();
  if (!remaining || *remaining > 0) {
    report(out, tally, "cleanup",
           CheckOutcome::fail(remaining ? std::to_string(*remaining) + " resources survived cleanup"
                                        : "cannot list what is left"));
  } else {
    report(out, tally, "cleanup",
           CheckOutcome::pass(leftovers == 0 ? "nothing left behind"
                                             : "removed " + std::to_string(leftovers) + " leftovers"));
  }
  ctx.instance.reset();
  report(out, tally, "close", CheckOutcome::pass());
  return summary(out, tally);
}

}  // namespace ephemera::kit
