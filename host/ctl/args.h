// The parsed command line of ephemeractl. Parsing is pure (no I/O): the
// environment comes in as a value, and `--spec FILE` is only recorded here;
// load_spec() (spec_input.h) reads it afterwards.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ctl/outcome.h"

namespace ephemera::ctl {

enum class Command {
  kHelp,
  kVersion,
  kStatus,
  kProviders,
  kWorkersList,
  kWorkersGet,
  kWorkersCreate,
  kWorkersReport,  // ready | running | idle | complete
  kWorkersDelete,
  kEvents,
  kGcRun,
  kOrphansScan,
  kSpecRender,
};

enum class OutputFormat { kTable, kJson };

using KeyValues = std::vector<std::pair<std::string, std::string>>;

inline constexpr const char* kDefaultSocket = "/run/ephemera/ephemerad.sock";

// Values of EPHEMERA_SOCKET / EPHEMERA_TOKEN; empty variables count as unset.
struct Environment {
  std::optional<std::string> socket;
  std::optional<std::string> token;
};

struct Args {
  Command command = Command::kHelp;
  std::string socket_path = kDefaultSocket;
  std::optional<std::string> token;
  OutputFormat output = OutputFormat::kTable;

  std::string target;  // worker ID or provider name (positional operand)
  std::string report;  // kWorkersReport: "ready", "running", "idle" or "complete"

  // Filters and selectors shared by several commands.
  std::optional<std::string> provider;
  std::optional<std::string> state;
  KeyValues labels;
  bool all = false;
  std::optional<size_t> limit;
  std::string page_after;  // pagination cursor; set by the list loop, not a flag

  // The worker spec: --spec FILE|-, then the flags that override it.
  std::optional<std::string> spec_path;
  std::string spec_json;  // the loaded --spec document (a JSON object), or empty
  std::optional<std::string> image;
  std::vector<std::string> command_line;  // --command: every argument after it
  KeyValues env;

  // Policy overrides, passed on as the duration strings the user wrote.
  std::optional<std::string> max_lifetime, idle_timeout, ttl, idempotency_key;

  std::optional<std::chrono::seconds> grace;
  bool force = false;

  std::optional<uint64_t> after_seq;
  std::optional<std::string> worker;
  bool follow = false;

  bool dry_run = false;
};

// argv without the program name. Errors are usage errors (exit code 2).
Outcome<Args> parse_args(const std::vector<std::string>& argv, const Environment& env);

}  // namespace ephemera::ctl
