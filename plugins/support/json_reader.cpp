#include "support/json_reader.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <vector>

namespace ephemera::plugin_support {

Result<json::object> parse_document(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) return invalid_argument("", std::string(what) + ": malformed JSON: " + ec.message());
  if (!doc.is_object()) return invalid_argument("", std::string(what) + ": expected a JSON object");
  const json::value* schema = doc.as_object().if_contains("schema");
  if (schema == nullptr) return invalid_argument("/schema", std::string(what) + ": missing \"schema\"");
  const int64_t* version = schema->if_int64();
  if (version == nullptr || *version != EPH_SCHEMA_VERSION)
    return invalid_argument("/schema", std::string(what) + ": unsupported \"schema\" " +
                                           json::serialize(*schema) + " (this plugin speaks 1)");
  return std::move(doc.as_object());
}

std::string pointer_append(std::string_view base, std::string_view key) {
  std::string out(base);
  out += '/';
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

ObjectReader::ObjectReader(const json::object& object, std::string pointer)
    : object_(object), pointer_(std::move(pointer)) {}

const json::value* ObjectReader::find(std::string_view key) const {
  const json::value* v = object_.if_contains(key);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

void ObjectReader::fail(std::string_view key, std::string message) {
  if (error_) return;
  std::string where = key.empty() ? pointer_ : pointer_to(key);
  error_ = invalid_argument(where, (where.empty() ? std::string("/") : where) + ": " + message);
}

std::optional<int64_t> ObjectReader::integer(std::string_view key, int64_t min) {
  const json::value* v = find(key);
  if (v == nullptr) return std::nullopt;
  std::optional<int64_t> out;
  if (const int64_t* i = v->if_int64()) out = *i;
  if (const uint64_t* u = v->if_uint64(); u != nullptr && *u <= uint64_t(INT64_MAX))
    out = static_cast<int64_t>(*u);
  if (!out || *out < min) {
    fail(key, min == std::numeric_limits<int64_t>::min()
                  ? "expected an integer"
                  : "expected an integer >= " + std::to_string(min));
    return std::nullopt;
  }
  return out;
}

std::optional<double> ObjectReader::number(std::string_view key, double min, double max) {
  const json::value* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number() || v->to_number<double>() < min || v->to_number<double>() > max) {
    fail(key, "expected a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return std::nullopt;
  }
  return v->to_number<double>();
}

std::optional<bool> ObjectReader::boolean(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    fail(key, "expected true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<std::string> ObjectReader::string(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(key, "expected a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

const json::object* ObjectReader::object(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    fail(key, "expected an object (table)");
    return nullptr;
  }
  return &v->get_object();
}

std::optional<Labels> ObjectReader::string_map(std::string_view key) {
  const json::object* o = object(key);
  if (o == nullptr) return std::nullopt;
  Labels out;
  for (const auto& [k, v] : *o) {
    if (!v.is_string()) {
      if (!error_)
        error_ = invalid_argument(pointer_append(pointer_to(key), k),
                                  pointer_append(pointer_to(key), k) + ": expected a string");
      return std::nullopt;
    }
    out.emplace(std::string(k), std::string(v.get_string()));
  }
  return out;
}

std::optional<std::vector<std::string>> ObjectReader::string_array(std::string_view key) {
  const json::value* v = find(key);
  if (v == nullptr) return std::nullopt;
  std::vector<std::string> out;
  if (v->is_array()) {
    for (const json::value& item : v->get_array()) {
      if (!item.is_string()) break;
      out.emplace_back(item.get_string());
    }
    if (out.size() == v->get_array().size()) return out;
  }
  fail(key, "expected an array of strings");
  return std::nullopt;
}

namespace {

// Levenshtein distance, to suggest the key a typo meant.

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string suggestion(std::string_view key, std::span<const std::string_view> known) {
  for (std::string_view k : known)
    if (edit_distance(key, k) <= 2) return " (did you mean '" + std::string(k) + "'?)";
  return {};
}

}  // namespace

void ObjectReader::reject_unknown(std::span<const std::string_view> known) {
  for (const auto& member : object_) {
    if (std::find(known.begin(), known.end(), member.key()) == known.end()) {
      fail(member.key(),
           "unknown key '" + std::string(member.key()) + "'" + suggestion(member.key(), known));
      return;
    }
  }
}

}  // namespace ephemera::plugin_support
