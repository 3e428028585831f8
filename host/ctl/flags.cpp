#include "ctl/flags.h"

#include <array>
#include <charconv>
#include <cstdint>

#include "ctl/duration_text.h"

namespace ephemera::ctl {
namespace {

using Error = std::optional<std::string>;

Error require_nonempty(std::string_view value, std::string_view what) {
  if (value.empty()) return std::string(what) + " must not be empty";
  return std::nullopt;
}

// "k=v" with a non-empty key; the value may be empty or contain '='.
Error add_key_value(KeyValues& into, std::string_view value, std::string_view flag) {
  const size_t eq = value.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return std::string(flag) + " wants KEY=VALUE, got '" + std::string(value) + "'";
  }
  into.emplace_back(std::string(value.substr(0, eq)), std::string(value.substr(eq + 1)));
  return std::nullopt;
}

template <class Int>
std::optional<Int> parse_uint(std::string_view value) {
  Int n{};
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return n;
}

// Checks the duration here but sends the user's text: the server parses it
// with the same rules and echoes durations back in its own form.
Error set_duration(std::optional<std::string>& into, std::string_view value, std::string_view flag) {
  if (!parse_duration_text(value)) {
    return std::string(flag) + ": invalid duration '" + std::string(value) +
           "' (use e.g. 90s, 5m, 1h30m, 250ms or integer seconds)";
  }
  into = std::string(value);
  return std::nullopt;
}

Error set_output(Args& a, std::string_view v) {
  if (v == "json") a.output = OutputFormat::kJson;
  else if (v == "table") a.output = OutputFormat::kTable;
  else return "--output must be 'table' or 'json', got '" + std::string(v) + "'";
  return std::nullopt;
}

Error set_limit(Args& a, std::string_view v) {
  auto n = parse_uint<size_t>(v);
  if (!n || *n == 0) return "--limit wants a positive integer, got '" + std::string(v) + "'";
  a.limit = *n;
  return std::nullopt;
}

Error set_after(Args& a, std::string_view v) {
  auto n = parse_uint<uint64_t>(v);
  if (!n) return "--after wants an event sequence number, got '" + std::string(v) + "'";
  a.after_seq = *n;
  return std::nullopt;
}

// The API takes whole seconds; round up so "500ms" still grants a grace.
Error set_grace(Args& a, std::string_view v) {
  auto d = parse_duration_text(v);
  if (!d) return "--grace: invalid duration '" + std::string(v) + "'";
  a.grace = std::chrono::ceil<std::chrono::seconds>(*d);
  return std::nullopt;
}

// A table rather than a chain of ifs: one line per flag, easy to scan.
constexpr std::array kFlags = {
    FlagDef{"--socket", "", Arity::kOne,
            [](Args& a, std::string_view v) -> Error {
              a.socket_path = std::string(v);
              return require_nonempty(v, "--socket");
            }},
    FlagDef{"--token", "", Arity::kOne,
            [](Args& a, std::string_view v) -> Error {
              a.token = std::string(v);
              return std::nullopt;
            }},
    FlagDef{"--output", "-o", Arity::kOne, set_output},
    FlagDef{"--state", "", Arity::kOne,
            [](Args& a, std::string_view v) -> Error {
              a.state = std::string(v);
              return require_nonempty(v, "--state");
            }},
    FlagDef{"--provider", "", Arity::kOne,
            [](Args& a, std::string_view v) -> Error {
              a.provider = std::string(v);
              return require_nonempty(v, "--provider");
            }},
    FlagDef{"--label", "", Arity::kOne,
            [](Args& a, std::string_view v) { return add_key_value(a.labels, v, "--label"); }},
    FlagDef{"--env", "", Arity::kOne,
            [](Args& a, std::string_view v) { return add_key_value(a.env, v, "--env"); }},
    FlagDef{"--all", "", Arity::kNone,
            [](Args& a, std::string_view) -> Error {
              a.all = true;
              return std::nullopt;
            }},
    FlagDef{"--limit", "", Arity::kOne, set_limit},
    FlagDef{"--spec", "", Arity::kOne,
            [](Args& a, std::string_view v) -> Error {
              a.spec_path = std::string(v);
              return require_nonempty(v, "--spec");
            }},
    FlagDef{"--image", "", Arity::kOne,
            [](Args& a, std::string_view v) -> Error {
              a.image = std::string(v);
              return require_nonempty(v, "--image");
            }},
    FlagDef{"--command", "", Arity::kRest,
            [](Args& a, std::string_view v) -> Error {
              a.command_line.emplace_back(v);
              return std::nullopt;
            }},
    FlagDef{"--max-lifetime", "", Arity::kOne,
            [](Args& a, std::string_view v) { return set_duration(a.max_lifetime, v, "--max-lifetime"); }},
    FlagDef{"--idle-timeout", "", Arity::kOne,
            [](Args& a, std::string_view v) { return set_duration(a.idle_timeout, v, "--idle-timeout"); }},
    FlagDef{"--ttl", "", Arity::kOne,
            [](Args& a, std::string_view v) { return set_duration(a.ttl, v, "--ttl"); }},
    FlagDef{"--idempotency-key", "", Arity::kOne,
            [](Args& a, std::string_view v) -> Error {
              a.idempotency_key = std::string(v);
              return require_nonempty(v, "--idempotency-key");
            }},
    FlagDef{"--grace", "", Arity::kOne, set_grace},
    FlagDef{"--force", "", Arity::kNone,
            [](Args& a, std::string_view) -> Error {
              a.force = true;
              return std::nullopt;
            }},
    FlagDef{"--after", "", Arity::kOne, set_after},
    FlagDef{"--worker", "", Arity::kOne,
            [](Args& a, std::string_view v) -> Error {
              a.worker = std::string(v);
              return require_nonempty(v, "--worker");
            }},
    FlagDef{"--follow", "-f", Arity::kNone,
            [](Args& a, std::string_view) -> Error {
              a.follow = true;
              return std::nullopt;
            }},
    FlagDef{"--dry-run", "", Arity::kNone,
            [](Args& a, std::string_view) -> Error {
              a.dry_run = true;
              return std::nullopt;
            }},
};

}  // namespace

const FlagDef* find_flag(std::string_view name) {
  for (const FlagDef& f : kFlags) {
    if (f.name == name || (!f.alias.empty() && f.alias == name)) return &f;
  }
  return nullptr;
}

}  // namespace ephemera::ctl
