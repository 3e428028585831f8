#include "engine/backend_info.h"

#include <boost/json.hpp>

#include "engine/worker_spec.h"

namespace ephemera::engine {
namespace json = boost::json;

namespace {

std::string str(const json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<int64_t> integer(const json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  if (v && v->is_int64()) return v->as_int64();
  if (v && v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  return std::nullopt;
}

BackendInfo from_object(const json::object& o) {
  BackendInfo info;
  info.resource_id = str(o, "resource_id");
  info.name = str(o, "name");
  info.state = str(o, "state");
  info.reason = str(o, "reason");
  if (auto code = integer(o, "exit_code")) info.exit_code = static_cast<int32_t>(*code);
  info.created_at_ms = integer(o, "created_at_ms");
  if (const auto* labels = o.if_contains("labels"); labels && labels->is_object()) {
    for (const auto& [k, v] : labels->as_object()) {
      if (v.is_string()) info.labels[std::string(k)] = std::string(v.as_string());
    }
  }
  info.worker_id = str(o, "worker_id");
  if (info.worker_id.empty()) {
    if (auto it = info.labels.find(kLabelWorkerId); it != info.labels.end()) info.worker_id = it->second;
  }
  return info;
}

}  // namespace

Result<BackendInfo> parse_backend_info(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status(StatusCode::kInternal, "worker info is not a JSON object");
  return from_object(v.as_object());
}

Result<std::pair<std::vector<BackendInfo>, std::string>> parse_list_page(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status(StatusCode::kInternal, "list page is not a JSON object");
  const auto* items = v.as_object().if_contains("items");
  if (items == nullptr || !items->is_array()) return Status(StatusCode::kInternal, "list page has no items");
  std::vector<BackendInfo> out;
  for (const auto& item : items->as_array()) {
    if (item.is_object()) out.push_back(from_object(item.as_object()));
  }
  return std::make_pair(std::move(out), str(v.as_object(), "continue"));
}

std::optional<domain::Input> observation_input(const BackendInfo& info) {
  using domain::InputKind;
  if (info.state == "running") return domain::Input{InputKind::kBackendRunning};
  if (info.state == "gone") return domain::Input{InputKind::kBackendGone};
  if (info.state == "exited") {
    domain::Input in{InputKind::kBackendExited};
    in.exit_code = info.exit_code;
    in.reason = info.reason;
    return in;
  }
  return std::nullopt;
}

}  // namespace ephemera::engine
