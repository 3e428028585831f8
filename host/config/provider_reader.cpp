#include "config/provider_reader.h"

#include <sstream>

#include "config/dns_label.h"
#include "config/policy_reader.h"
#include "config/toml_reader.h"

namespace ephemera::config {
namespace {

// RFC 6901: '~' → "~0", '/' → "~1".
std::string pointer_token(std::string_view key) {
  std::string out;
  for (char ch : key) {
    if (ch == '~') out += "~0";
    else if (ch == '/') out += "~1";
    else out += ch;
  }
  return out;
}

void record_lines(const toml::node& node, const std::string& pointer, std::map<std::string, uint32_t>& lines) {
  if (const toml::table* t = node.as_table()) {
    for (const auto& [key, child] : *t) {
      std::string at = pointer + "/" + pointer_token(key.str());
      lines[at] = key.source().begin.line ? key.source().begin.line : child.source().begin.line;
      record_lines(child, at, lines);
    }
  } else if (const toml::array* a = node.as_array()) {
    for (size_t i = 0; i < a->size(); ++i) {
      std::string at = pointer + "/" + std::to_string(i);
      lines[at] = (*a)[i].source().begin.line;
      record_lines((*a)[i], at, lines);
    }
  }
}

Status read_provider(const std::string& name, const toml::table& table, const std::string& source,
                     SiteConfig& c) {
  const std::string section = "providers." + name;
  TomlReader r(&table, section, source);
  ProviderSection p;
  p.name = name;
  p.line = r.line();
  if (!is_dns_label(name, 40)) {  // 40: room for it inside resource names
    return r.error_at(nullptr, "[" + section + "]: a provider name is lower-case letters, digits and '-' "
                                   "(not at either end, at most 40), because it goes into resource labels");
  }
  r.string("plugin", p.plugin);
  std::optional<size_t> orphans;
  r.choice("orphans", {"delete", "report-only"}, orphans);
  std::optional<uint64_t> concurrency;
  r.unsigned_int("max_concurrency", concurrency, 1, 1024);
  const toml::table* policy = r.table("policy");
  const toml::table* settings = r.table("settings");
  if (Status s = r.finish(); !s.is_ok()) return s;
  if (p.plugin.empty()) return r.error_at(nullptr, "[" + section + "] needs 'plugin' (e.g. \"mock\", \"docker\")");
  p.plugin_line = r.line_of("plugin");
  p.plugin_path = resolve_plugin(p.plugin, c.daemon.plugin_dir);
  if (orphans) p.orphans = *orphans == 0 ? OrphanMode::kDelete : OrphanMode::kReportOnly;
  if (concurrency) p.max_concurrency = static_cast<uint32_t>(*concurrency);
  if (Status s = read_policy_overrides(TomlReader(policy, section + ".policy", source), p.policy); !s.is_ok()) {
    return s;
  }
  p.settings_line = p.line;
  if (settings) {
    p.settings_line = settings->source().begin.line ? settings->source().begin.line : p.line;
    std::ostringstream json;
    json << toml::json_formatter{*settings};
    p.settings_json = json.str();
    record_lines(*settings, "/settings", p.setting_lines);
  }
  c.providers.push_back(std::move(p));
  return Status::ok();
}

}  // namespace

std::filesystem::path resolve_plugin(const std::string& plugin, const std::filesystem::path& plugin_dir) {
  std::filesystem::path as_written(plugin);
  if (as_written.is_absolute()) return as_written;
  if (plugin.ends_with(".so")) return plugin_dir / plugin;
  return plugin_dir / ("ephemera-" + plugin + ".so");
}

Status read_providers(const toml::table* providers, const std::string& source, SiteConfig& c) {
  TomlReader r(providers, "providers", source);
  if (!providers || providers->empty()) {
    return r.error_at(providers, "no provider configured: add a [providers.NAME] table with 'plugin = ...'");
  }
  for (const auto& [key, node] : *providers) {
    const std::string name(key.str());
    if (!node.is_table()) {
      return r.error_at(&node, "'" + name + "' in [providers]: expected a table [providers." + name + "]");
    }
    if (Status s = read_provider(name, *node.as_table(), source, c); !s.is_ok()) return s;
  }
  return Status::ok();
}

}  // namespace ephemera::config
