// The conformance kit's runner: a list of named checks, one output line each,
// then "N passed, M failed". Resources created are removed before it returns.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "kit_context.h"

namespace ephemera::kit {

struct CheckOutcome {
  enum class Verdict { kPass, kFail, kSkip };
  Verdict verdict = Verdict::kPass;
  std::string detail;

  static CheckOutcome pass(std::string d = {}) { return {Verdict::kPass, std::move(d)}; }
  static CheckOutcome fail(std::string d) { return {Verdict::kFail, std::move(d)}; }
  static CheckOutcome skip(std::string d) { return {Verdict::kSkip, std::move(d)}; }
};

struct Check {
  std::string name;
  std::function<CheckOutcome(KitContext&)> run;
};

// Checks that need only the loaded library (no instance yet).
std::vector<Check> config_checks();
// Checks on an open instance.
std::vector<Check> lifecycle_checks();
std::vector<Check> robustness_checks();
std::vector<Check> watch_checks();

// Runs the whole battery; returns the process exit code (0 = all passed).
int run_kit(KitOptions options, std::ostream& out);

}  // namespace ephemera::kit
