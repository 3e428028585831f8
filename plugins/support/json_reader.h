// Strict, error-collecting access to the JSON documents a plugin receives
// (config, spec, reference, selector), shared by the in-tree plugins. Every error names the member by its JSON pointer so the host can
// point at the TOML line or the request field.
#pragma once

#include "support/result.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ephemera::plugin_support {

namespace json = boost::json;
using Labels = std::map<std::string, std::string>;

// Parses `text` as a JSON object carrying "schema": 1 (EPH_SCHEMA_VERSION).
// `what` names the document in messages ("spec", "config").
Result<json::object> parse_document(std::string_view text, std::string_view what);

// Appends one escaped reference token (RFC 6901: '~' -> "~0", '/' -> "~1").
std::string pointer_append(std::string_view base, std::string_view key);

// Reads members of one object. The first type error is kept; later reads
// still answer (nullopt), so callers read everything and check error() once.
class ObjectReader {
 public:
  ObjectReader(const json::object& object, std::string pointer);

  std::optional<int64_t> integer(std::string_view key,
                                 int64_t min = std::numeric_limits<int64_t>::min());
  std::optional<double> number(std::string_view key, double min, double max);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::string> string(std::string_view key);
  // nullptr when absent or not an object (the latter is an error).
  const json::object* object(std::string_view key);
  // Every member must be a string.
  std::optional<Labels> string_map(std::string_view key);
  std::optional<std::vector<std::string>> string_array(std::string_view key);

  // Records an error for the first member not in `known`.
  void reject_unknown(std::span<const std::string_view> known);
  void reject_unknown(std::initializer_list<std::string_view> known) {
    reject_unknown(std::span<const std::string_view>(known.begin(), known.size()));
  }
  void fail(std::string_view key, std::string message);

  std::string pointer_to(std::string_view key) const { return pointer_append(pointer_, key); }
  const MaybeError& error() const { return error_; }

 private:
  const json::value* find(std::string_view key) const;

  const json::object& object_;
  std::string pointer_;
  MaybeError error_;
};

}  // namespace ephemera::plugin_support
