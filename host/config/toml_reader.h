// Typed, line-aware reading of one TOML table. Each getter records the key as
// known; finish() then refuses every key nobody asked for, with a
// did-you-mean. Errors are collected as the first Status (later getters are
// no-ops once one failed), so a section reader stays a flat list of getters.
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace ephemera::config {

class TomlReader {
 public:
  // `table` may be null (the section is absent: every getter keeps its default).
  TomlReader(const toml::table* table, std::string section, const std::string& source);

  void string(const char* key, std::string& out);
  void string(const char* key, std::optional<std::string>& out);
  void path(const char* key, std::filesystem::path& out);
  void duration(const char* key, std::chrono::milliseconds& out);
  void duration(const char* key, std::optional<std::chrono::milliseconds>& out);
  void boolean(const char* key, std::optional<bool>& out);
  void unsigned_int(const char* key, std::optional<uint64_t>& out, uint64_t min, uint64_t max);
  // One of `choices`; writes its index.
  void choice(const char* key, const std::vector<std::string>& choices, std::optional<size_t>& out);
  // Marks `key` as known without reading it (the caller reads it itself).
  void take_unparsed(const char* key) { known_.emplace_back(key); }
  // A sub-table this reader does not parse itself (read by another reader).
  const toml::table* table(const char* key);

  // Refuses keys no getter asked for; returns the first error.
  Status finish();
  Status status() const { return status_; }

  // "config FILE:LINE: MESSAGE" for the node (or the table when null).
  Status error_at(const toml::node* node, const std::string& message);
  Status error_at_line(uint32_t line, const std::string& message);
  uint32_t line_of(const char* key) const;
  uint32_t line() const;
  const std::string& section() const { return section_; }

 private:
  const toml::node* take(const char* key);
  Status type_error(const toml::node* node, const char* key, const std::string& expected);

  const toml::table* table_;
  std::string section_;
  const std::string& source_;
  std::vector<std::string> known_;
  Status status_;
};

}  // namespace ephemera::config
