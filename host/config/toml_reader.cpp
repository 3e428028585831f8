#include "config/toml_reader.h"

#include <algorithm>

#include "common/duration.h"
#include "config/did_you_mean.h"

namespace ephemera::config {

TomlReader::TomlReader(const toml::table* table, std::string section, const std::string& source)
    : table_(table), section_(std::move(section)), source_(source) {}

uint32_t TomlReader::line() const { return table_ ? table_->source().begin.line : 0; }

uint32_t TomlReader::line_of(const char* key) const {
  const toml::node* n = table_ ? table_->get(key) : nullptr;
  return n ? n->source().begin.line : line();
}

Status TomlReader::error_at(const toml::node* node, const std::string& message) {
  return error_at_line(node ? node->source().begin.line : line(), message);
}

Status TomlReader::error_at_line(uint32_t at, const std::string& message) {
  Status s(StatusCode::kInvalidArgument,
           "config " + source_ + (at ? ":" + std::to_string(at) : std::string()) + ": " + message);
  if (status_.is_ok()) status_ = s;
  return s;
}

Status TomlReader::type_error(const toml::node* node, const char* key, const std::string& expected) {
  return error_at(node, "'" + std::string(key) + "' in [" + section_ + "]: expected " + expected);
}

const toml::node* TomlReader::take(const char* key) {
  known_.emplace_back(key);
  if (!status_.is_ok() || table_ == nullptr) return nullptr;
  return table_->get(key);
}

void TomlReader::string(const char* key, std::string& out) {
  std::optional<std::string> v;
  string(key, v);
  if (v) out = *v;
}

void TomlReader::string(const char* key, std::optional<std::string>& out) {
  const toml::node* n = take(key);
  if (!n) return;
  if (!n->is_string()) {
    type_error(n, key, "a string");
    return;
  }
  out = n->as_string()->get();
}

void TomlReader::path(const char* key, std::filesystem::path& out) {
  std::optional<std::string> v;
  string(key, v);
  if (!v) return;
  if (v->empty()) {
    error_at(table_->get(key), "'" + std::string(key) + "' in [" + section_ + "]: must not be empty");
    return;
  }
  out = *v;
}

void TomlReader::duration(const char* key, std::chrono::milliseconds& out) {
  std::optional<std::chrono::milliseconds> v;
  duration(key, v);
  if (v) out = *v;
}

// A string ("90s", "1h30m") or integer seconds, like the admin API.
void TomlReader::duration(const char* key, std::optional<std::chrono::milliseconds>& out) {
  const toml::node* n = take(key);
  if (!n) return;
  if (n->is_integer()) {
    int64_t seconds = n->as_integer()->get();
    if (seconds < 0 || seconds > INT64_MAX / 1000) {
      type_error(n, key, "a non-negative number of seconds");
      return;
    }
    out = std::chrono::seconds(seconds);
    return;
  }
  if (!n->is_string()) {
    type_error(n, key, "a duration such as \"90s\", \"5m\", \"1h30m\"");
    return;
  }
  auto d = parse_duration(n->as_string()->get());
  if (!d) {
    error_at(n, "'" + std::string(key) + "' in [" + section_ + "]: " + d.status().message());
    return;
  }
  out = *d;
}

void TomlReader::boolean(const char* key, std::optional<bool>& out) {
  const toml::node* n = take(key);
  if (!n) return;
  if (!n->is_boolean()) {
    type_error(n, key, "true or false");
    return;
  }
  out = n->as_boolean()->get();
}

void TomlReader::unsigned_int(const char* key, std::optional<uint64_t>& out, uint64_t min, uint64_t max) {
  const toml::node* n = take(key);
  if (!n) return;
  if (!n->is_integer() || n->as_integer()->get() < 0 || static_cast<uint64_t>(n->as_integer()->get()) < min ||
      static_cast<uint64_t>(n->as_integer()->get()) > max) {
    type_error(n, key, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return;
  }
  out = static_cast<uint64_t>(n->as_integer()->get());
}

void TomlReader::choice(const char* key, const std::vector<std::string>& choices, std::optional<size_t>& out) {
  std::optional<std::string> v;
  string(key, v);
  if (!v) return;
  auto it = std::find(choices.begin(), choices.end(), *v);
  if (it != choices.end()) {
    out = static_cast<size_t>(it - choices.begin());
    return;
  }
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "'" : ", '") + c + "'";
  std::string hint;
  if (auto near = did_you_mean(*v, choices)) hint = " (did you mean '" + *near + "'?)";
  error_at(table_->get(key),
           "'" + std::string(key) + "' in [" + section_ + "]: '" + *v + "' is not one of " + list + hint);
}

const toml::table* TomlReader::table(const char* key) {
  const toml::node* n = take(key);
  if (!n) return nullptr;
  if (!n->is_table()) {
    type_error(n, key, "a table");
    return nullptr;
  }
  return n->as_table();
}

Status TomlReader::finish() {
  if (!status_.is_ok() || table_ == nullptr) return status_;
  for (const auto& [key, node] : *table_) {
    const std::string name(key.str());
    if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
    std::string hint;
    if (auto near = did_you_mean(name, known_)) hint = " (did you mean '" + *near + "'?)";
    uint32_t at = key.source().begin.line ? key.source().begin.line : node.source().begin.line;
    return error_at_line(at, "unknown key '" + name + "' in [" + section_ + "]" + hint);
  }
  return status_;
}

}  // namespace ephemera::config
