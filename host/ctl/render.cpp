#include "ctl/render.h"

#include <boost/json.hpp>

#include "ctl/table.h"

namespace ephemera::ctl {
namespace json = boost::json;
namespace {

std::string str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_bool()) return v->as_bool() ? "true" : "false";
  return json::serialize(*v);
}

std::string age(const json::object& o, std::string_view key, SysTime now) {
  auto at = parse_instant(str(o, key));
  return at ? format_age(*at, now) : "-";
}

std::string backend(const json::object& w) {
  const json::value* b = w.if_contains("backend");
  if (b == nullptr || !b->is_object()) return "";
  std::string phase = str(b->as_object(), "phase");
  std::string code = str(b->as_object(), "exit_code");
  return code.empty() ? phase : phase + "(" + code + ")";
}

Row worker_row(const json::object& w, SysTime now) {
  return {str(w, "id"), str(w, "provider"), str(w, "state"), backend(w), str(w, "cleanup"), age(w, "created_at", now),
          str(w, "final_reason").empty() ? str(w, "terminating_reason") : str(w, "final_reason")};
}

const Row kWorkerHeader = {"ID", "PROVIDER", "STATE", "BACKEND", "CLEANUP", "AGE", "REASON"};

std::string workers_table(const json::object& page, SysTime now) {
  std::vector<Row> rows;
  if (const json::value* items = page.if_contains("items"); items && items->is_array()) {
    for (const auto& w : items->as_array()) {
      if (w.is_object()) rows.push_back(worker_row(w.as_object(), now));
    }
  }
  return format_table(kWorkerHeader, rows);
}

std::string worker_detail(const json::object& w, SysTime now) {
  std::string out = format_table(kWorkerHeader, {worker_row(w, now)});
  out += "resource: " + str(w, "resource_name") + (str(w, "resource_id").empty() ? "" : " (" + str(w, "resource_id") + ")") + "\n";
  if (!str(w, "cleanup_due_at").empty()) out += "cleanup due: " + str(w, "cleanup_due_at") + "\n";
  if (const json::value* p = w.if_contains("policy"); p && p->is_object()) out += "policy: " + json::serialize(*p) + "\n";
  return out;
}

std::string providers_table(const json::object& o) {
  std::vector<Row> rows;
  if (const json::value* items = o.if_contains("providers"); items && items->is_array()) {
    for (const auto& v : items->as_array()) {
      if (!v.is_object()) continue;
      const auto& p = v.as_object();
      rows.push_back({str(p, "name"), str(p, "healthy") == "true" ? "healthy" : (str(p, "open") == "true" ? "unhealthy" : "degraded"),
                      str(p, "stuck_calls"), str(p, "plugin")});
    }
  }
  return format_table({"NAME", "HEALTH", "STUCK", "PLUGIN"}, rows);
}

std::string orphans_table(const json::object& o) {
  std::vector<Row> rows;
  if (const json::value* items = o.if_contains("orphans"); items && items->is_array()) {
    for (const auto& v : items->as_array()) {
      if (!v.is_object()) continue;
      const auto& r = v.as_object();
      rows.push_back({str(r, "provider"), str(r, "name"), str(r, "resource_id"), str(r, "worker_id"),
                      str(r, "deleted") == "true" ? "deleted" : "reported"});
    }
  }
  if (rows.empty()) return "no orphans\n";
  return format_table({"PROVIDER", "NAME", "RESOURCE", "WORKER", "ACTION"}, rows);
}

}  // namespace

std::string render_events(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return body + "\n";
  std::string out;
  if (const json::value* events = v.as_object().if_contains("events"); events && events->is_array()) {
    for (const auto& e : events->as_array()) {
      if (!e.is_object()) continue;
      const auto& o = e.as_object();
      out += str(o, "seq") + "  " + str(o, "at") + "  " + str(o, "worker_id") + "  " + str(o, "type");
      if (!str(o, "reason").empty()) out += " (" + str(o, "reason") + ")";
      if (!str(o, "exit_code").empty()) out += " exit " + str(o, "exit_code");
      out += "\n";
    }
  }
  return out;
}

std::string render(Command command, const std::string& body, SysTime now) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return body.empty() || body.back() == '\n' ? body : body + "\n";
  const json::object& o = v.as_object();
  switch (command) {
    case Command::kWorkersList: return workers_table(o, now);
    case Command::kWorkersGet:
    case Command::kWorkersCreate:
    case Command::kWorkersReport:
    case Command::kWorkersDelete: return worker_detail(o, now);
    case Command::kProviders: return providers_table(o);
    case Command::kOrphansScan: return orphans_table(o);
    case Command::kGcRun: return "gc: acted on " + str(o, "acted") + " due item(s)\n";
    case Command::kEvents: return render_events(body);
    default: return json::serialize(v) + "\n";
  }
}

}  // namespace ephemera::ctl
