// The flags ephemeractl knows, each with how it takes its value and how it
// lands in Args. Private to the ctl library; args.cpp decides which command
// accepts which flag.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ctl/args.h"

namespace ephemera::ctl {

enum class Arity {
  kNone,  // a switch: --force
  kOne,   // --label k=v or --label=k=v
  kRest,  // --command: every remaining argument
};

struct FlagDef {
  std::string_view name;   // "--output"
  std::string_view alias;  // "-o", or empty
  Arity arity;
  // Stores the value; returns why it is malformed (a usage error) or nullopt.
  std::optional<std::string> (*apply)(Args& args, std::string_view value);
};

// By long name or alias; nullptr for an unknown flag.
const FlagDef* find_flag(std::string_view name);

}  // namespace ephemera::ctl
