// Small helpers the check files share.
#pragma once

#include <boost/json.hpp>

#include <string>

#include "kit_runner.h"

namespace ephemera::kit {

inline std::string describe(const plugin_host::CallOutcome& o) { return o.status.to_string(); }

inline std::string member(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// "expected X, got Y" unless `code` matches.
inline bool expect_code(const plugin_host::CallOutcome& o, StatusCode code, std::string* why) {
  if (o.status.code() == code) return true;
  *why = "expected " + std::string(status_code_name(code)) + ", got " + o.status.to_string();
  return false;
}

}  // namespace ephemera::kit
