#include "ctl/args.h"

#include <array>

#include "ctl/flags.h"

namespace ephemera::ctl {
namespace {

struct CommandDef {
  std::string_view word, subword;  // "workers" "list"; subword empty for one-word commands
  Command command;
  std::string_view report;   // kWorkersReport only
  std::string_view operand;  // "ID", "PROVIDER", or empty for none
  std::string_view flags;    // the flags it accepts besides the global ones, space separated
};

constexpr std::string_view kSpecFlags = "--spec --image --command --label --env";
constexpr std::string_view kGlobalFlags = "--socket --token --output";

constexpr std::array kCommands = {
    CommandDef{"help", "", Command::kHelp, "", "", ""},
    CommandDef{"version", "", Command::kVersion, "", "", ""},
    CommandDef{"status", "", Command::kStatus, "", "", ""},
    CommandDef{"providers", "", Command::kProviders, "", "", ""},
    CommandDef{"workers", "list", Command::kWorkersList, "", "", "--state --provider --label --all --limit"},
    CommandDef{"workers", "get", Command::kWorkersGet, "", "ID", ""},
    CommandDef{"workers", "create", Command::kWorkersCreate, "", "",
               "--provider --spec --image --command --label --env --max-lifetime --idle-timeout "
               "--ttl --idempotency-key"},
    CommandDef{"workers", "ready", Command::kWorkersReport, "ready", "ID", ""},
    CommandDef{"workers", "running", Command::kWorkersReport, "running", "ID", ""},
    CommandDef{"workers", "idle", Command::kWorkersReport, "idle", "ID", ""},
    CommandDef{"workers", "complete", Command::kWorkersReport, "complete", "ID", ""},
    CommandDef{"workers", "delete", Command::kWorkersDelete, "", "ID", "--grace --force"},
    CommandDef{"events", "", Command::kEvents, "", "", "--after --worker --follow"},
    CommandDef{"gc", "run", Command::kGcRun, "", "", ""},
    CommandDef{"orphans", "scan", Command::kOrphansScan, "", "", "--dry-run --provider"},
    CommandDef{"spec", "render", Command::kSpecRender, "", "PROVIDER", kSpecFlags},
};

struct Tokens {
  std::vector<std::pair<const FlagDef*, std::string>> flags;
  std::vector<std::string> positionals;
  bool help = false;
};

bool has_word(std::string_view list, std::string_view word) {
  size_t pos = 0;
  while ((pos = list.find(word, pos)) != std::string_view::npos) {
    const size_t end = pos + word.size();
    if ((pos == 0 || list[pos - 1] == ' ') && (end == list.size() || list[end] == ' ')) return true;
    pos = end;
  }
  return false;
}

bool looks_like_flag(const std::string& arg) { return arg.size() > 1 && arg[0] == '-'; }

// Reads one flag starting at argv[i]; advances i past its value(s).
std::optional<CtlError> read_flag(const std::vector<std::string>& argv, size_t& i, Tokens& out) {
  const std::string& arg = argv[i];
  const size_t eq = arg.find('=');
  const std::string name = arg.substr(0, eq);
  const FlagDef* def = find_flag(name);
  if (def == nullptr) return usage_error("unknown flag '" + name + "'");
  std::optional<std::string> inline_value;
  if (eq != std::string::npos) inline_value = arg.substr(eq + 1);
  switch (def->arity) {
    case Arity::kNone:
      if (inline_value) return usage_error(name + " takes no value");
      out.flags.emplace_back(def, "");
      break;
    case Arity::kOne:
      if (!inline_value && i + 1 >= argv.size()) return usage_error(name + " needs a value");
      out.flags.emplace_back(def, inline_value ? *inline_value : argv[++i]);
      break;
    case Arity::kRest:
      if (inline_value) out.flags.emplace_back(def, *inline_value);
      while (i + 1 < argv.size()) out.flags.emplace_back(def, argv[++i]);
      if (out.flags.empty() || out.flags.back().first != def) {
        return usage_error(name + " needs at least one argument");
      }
      break;
  }
  return std::nullopt;
}

Outcome<Tokens> tokenize(const std::vector<std::string>& argv) {
  Tokens out;
  bool only_positionals = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (only_positionals || !looks_like_flag(arg)) {
      out.positionals.push_back(arg);
    } else if (arg == "--") {
      only_positionals = true;
    } else if (arg == "-h" || arg == "--help") {
      out.help = true;
    } else if (arg == "--version") {
      out.positionals.insert(out.positionals.begin(), "version");  // like ephemerad --version
    } else if (auto error = read_flag(argv, i, out)) {
      return *error;
    }
  }
  return out;
}

Outcome<const CommandDef*> find_command(const std::vector<std::string>& words) {
  if (words.empty()) return usage_error("missing command");
  bool family_known = false;
  for (const CommandDef& def : kCommands) {
    if (def.word != words[0]) continue;
    family_known = true;
    if (def.subword.empty() || (words.size() > 1 && def.subword == words[1])) return &def;
  }
  if (!family_known) return usage_error("unknown command '" + words[0] + "'");
  if (words.size() < 2) return usage_error("'" + words[0] + "' needs a subcommand");
  return usage_error("unknown command '" + words[0] + " " + words[1] + "'");
}

std::string command_name(const CommandDef& def) {
  return def.subword.empty() ? std::string(def.word)
                             : std::string(def.word) + " " + std::string(def.subword);
}

// Fills the operand (ID / PROVIDER) and rejects leftovers.
std::optional<CtlError> take_operands(const CommandDef& def, const std::vector<std::string>& words,
                                      Args& args) {
  size_t next = def.subword.empty() ? 1 : 2;
  if (!def.operand.empty()) {
    if (next >= words.size()) {
      return usage_error("'" + command_name(def) + "' needs " + std::string(def.operand));
    }
    args.target = words[next++];
  }
  if (next < words.size()) return usage_error("unexpected argument '" + words[next] + "'");
  return std::nullopt;
}

std::optional<CtlError> apply_flags(const CommandDef& def, const Tokens& tokens, Args& args) {
  for (const auto& [flag, value] : tokens.flags) {
    if (!has_word(kGlobalFlags, flag->name) && !has_word(def.flags, flag->name)) {
      return usage_error(std::string(flag->name) + " does not apply to '" + command_name(def) + "'");
    }
    if (auto why = flag->apply(args, value)) return usage_error(*why);
  }
  return std::nullopt;
}

}  // namespace

Outcome<Args> parse_args(const std::vector<std::string>& argv, const Environment& env) {
  auto tokens = tokenize(argv);
  if (!tokens) return tokens.error();
  Args args;
  if (env.socket) args.socket_path = *env.socket;
  args.token = env.token;
  if (tokens->help) return args;  // Command::kHelp
  auto def = find_command(tokens->positionals);
  if (!def) return def.error();
  args.command = def.value()->command;
  args.report = std::string(def.value()->report);
  if (auto error = take_operands(*def.value(), tokens->positionals, args)) return *error;
  if (auto error = apply_flags(*def.value(), *tokens, args)) return *error;
  if (args.command == Command::kWorkersCreate && !args.provider) {
    return usage_error("'workers create' needs --provider");
  }
  return args;
}

}  // namespace ephemera::ctl
