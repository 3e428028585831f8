#include "ctl/spec_body.h"

#include <boost/json.hpp>
#include <fstream>
#include <iterator>
#include <sstream>

namespace ephemera::ctl {
namespace json = boost::json;
namespace {

std::optional<std::string> read_all(const std::string& path, std::istream& in) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(in), {});
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// load_spec has validated the text; a broken one here is a caller bug and
// degrades to an empty spec rather than throwing.
json::object parse_spec(const std::string& text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

void merge_into(json::object& spec, std::string_view key, const KeyValues& pairs) {
  if (pairs.empty()) return;
  json::value& slot = spec[key];
  if (!slot.is_object()) slot = json::object();
  for (const auto& [k, v] : pairs) slot.as_object()[k] = v;
}

json::object spec_object(const Args& args) {
  json::object spec = parse_spec(args.spec_json);
  if (args.image) spec["image"] = *args.image;
  if (!args.command_line.empty()) {
    json::array command;
    for (const auto& part : args.command_line) command.emplace_back(part);
    spec["command"] = std::move(command);
  }
  merge_into(spec, "labels", args.labels);
  merge_into(spec, "env", args.env);
  return spec;
}

}  // namespace

std::optional<CtlError> load_spec(Args& args, std::istream& in) {
  if (!args.spec_path) return std::nullopt;
  const std::string& path = *args.spec_path;
  const std::string shown = path == "-" ? "standard input" : path;
  auto text = read_all(path, in);
  if (!text) return runtime_error("cannot read spec file " + shown);
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec) return runtime_error("spec " + shown + ": invalid JSON: " + ec.message());
  if (!v.is_object()) return runtime_error("spec " + shown + ": must be a JSON object");
  args.spec_json = std::move(*text);
  return std::nullopt;
}

std::string spec_body(const Args& args) { return json::serialize(spec_object(args)); }

std::string create_body(const Args& args) {
  json::object body;
  body["provider"] = args.provider.value_or("");
  body["spec"] = spec_object(args);
  json::object policy;
  if (args.max_lifetime) policy["max_lifetime"] = *args.max_lifetime;
  if (args.idle_timeout) policy["idle_timeout"] = *args.idle_timeout;
  if (args.ttl) policy["ttl_after_completion"] = *args.ttl;
  if (!policy.empty()) body["policy"] = std::move(policy);
  if (args.idempotency_key) body["idempotency_key"] = *args.idempotency_key;
  return json::serialize(body);
}

}  // namespace ephemera::ctl
