#include "ctl/ctl_runner.h"

#include <boost/json.hpp>

#include <chrono>

#include "ctl/api_error.h"
#include "ctl/render.h"
#include "ctl/request.h"
#include "ctl/spec_body.h"

namespace ephemera::ctl {
namespace json = boost::json;
namespace {

int code(ExitCode c) { return static_cast<int>(c); }

int report(const CtlError& e, std::ostream& err) {
  err << "ephemeractl: " << e.message << "\n";
  return code(e.exit_code);
}

SysTime now() { return std::chrono::system_clock::now(); }

// Sends one request; a non-2xx answer becomes the error it names.
Outcome<Response> exchange(HttpClient& client, const Request& request) {
  auto r = client.send(request);
  if (!r) return r.error();
  if (r->status < 200 || r->status >= 300) return error_from_response(r.value());
  return r;
}

std::optional<json::object> object_of(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.as_object();
}

int status(HttpClient& client, const Args& args, Streams io) {
  StatusRequests reqs = status_requests();
  auto health = client.send(reqs.healthz);
  if (!health) return report(health.error(), io.err);
  auto ready = client.send(reqs.readyz);
  if (!ready) return report(ready.error(), io.err);
  auto providers = exchange(client, reqs.providers);
  if (!providers) return report(providers.error(), io.err);
  if (args.output == OutputFormat::kJson) {
    json::object all{{"healthz", object_of(health->body).value_or(json::object{})},
                     {"readyz", object_of(ready->body).value_or(json::object{})},
                     {"providers", object_of(providers->body).value_or(json::object{})}};
    io.out << json::serialize(all) << "\n";
  } else {
    io.out << "daemon: " << (health->status == 200 ? "up" : "unhealthy") << "\n";
    auto r = object_of(ready->body).value_or(json::object{});
    const json::value* reason = r.if_contains("reason");
    io.out << "ready: " << (ready->status == 200 ? "yes" : "no")
           << (reason && reason->is_string() && !reason->as_string().empty() ? " (" + std::string(reason->as_string()) + ")" : "")
           << "\n\n";
    io.out << render(Command::kProviders, providers->body, now());
  }
  return ready->status == 200 ? code(ExitCode::kOk) : code(ExitCode::kError);
}

// Follows `next` until the last page, unless --limit caps the listing.
int list_workers(HttpClient& client, Args args, Streams io) {
  json::array items;
  for (;;) {
    auto r = exchange(client, build_request(args));
    if (!r) return report(r.error(), io.err);
    auto page = object_of(r->body);
    if (!page) return report(runtime_error("malformed answer: " + r->body), io.err);
    if (const json::value* v = page->if_contains("items"); v && v->is_array()) {
      for (const auto& w : v->as_array()) items.push_back(w);
    }
    const json::value* next = page->if_contains("next");
    if (args.limit || next == nullptr || !next->is_string() || next->as_string().empty()) break;
    args.page_after = std::string(next->as_string());
  }
  json::object all{{"items", items}, {"next", ""}};
  if (args.output == OutputFormat::kJson) {
    io.out << json::serialize(all) << "\n";
  } else {
    io.out << render(Command::kWorkersList, json::serialize(all), now());
  }
  return code(ExitCode::kOk);
}

// --follow: long-polls forever, each answer's last_seq the next `after`.
int events(HttpClient& client, Args args, Streams io) {
  do {
    auto r = exchange(client, build_request(args));
    if (!r) return report(r.error(), io.err);
    if (args.output == OutputFormat::kJson) {
      io.out << r->body << "\n";
    } else {
      io.out << render_events(r->body);
    }
    io.out.flush();
    auto page = object_of(r->body);
    if (!page) return report(runtime_error("malformed answer: " + r->body), io.err);
    if (const json::value* last = page->if_contains("last_seq"); last && last->is_int64()) {
      args.after_seq = static_cast<uint64_t>(last->as_int64());
    } else if (last && last->is_uint64()) {
      args.after_seq = last->as_uint64();
    }
  } while (args.follow);
  return code(ExitCode::kOk);
}

}  // namespace

std::string help_text() {
  return "usage: ephemeractl [--socket PATH] [--token T] [-o table|json] COMMAND\n"
         "\n"
         "commands:\n"
         "  status                          daemon health, readiness and providers\n"
         "  providers                       providers with their health\n"
         "  workers list [--state S] [--provider P] [--label k=v]... [--all] [--limit N]\n"
         "  workers get ID\n"
         "  workers create --provider P [--spec FILE|-] [--image I] [--command ARGS...] [--label k=v]\n"
         "                 [--env K=V] [--max-lifetime D] [--idle-timeout D] [--ttl D] [--idempotency-key K]\n"
         "  workers ready|running|idle|complete ID\n"
         "  workers delete ID [--grace SECONDS] [--force]\n"
         "  events [--after SEQ] [--worker ID] [--follow]\n"
         "  gc run\n"
         "  orphans scan [--dry-run] [--provider P]\n"
         "  spec render PROVIDER [--spec FILE|-] [--image I] [--command ARGS...]\n"
         "  version | help\n"
         "\n"
         "environment: EPHEMERA_SOCKET (default /run/ephemera/ephemerad.sock), EPHEMERA_TOKEN\n"
         "exit codes: 0 ok, 1 error, 2 usage, 3 not found\n";
}

int run_ctl(const std::vector<std::string>& argv, const Environment& env, HttpClient* client, Streams io) {
  auto parsed = parse_args(argv, env);
  if (!parsed) {
    report(parsed.error(), io.err);
    io.err << "run 'ephemeractl help' for usage\n";
    return code(parsed.error().exit_code);
  }
  Args args = std::move(parsed.value());
  if (args.command == Command::kHelp) {
    io.out << help_text();
    return code(ExitCode::kOk);
  }
  if (args.command == Command::kVersion) {
    io.out << "ephemeractl " << EPHEMERA_VERSION << "\n";
    return code(ExitCode::kOk);
  }
  if (auto e = load_spec(args, io.in)) return report(*e, io.err);
  std::unique_ptr<HttpClient> owned;
  if (client == nullptr) {
    owned = make_unix_socket_client(ClientOptions{args.socket_path, args.token});
    client = owned.get();
  }
  switch (args.command) {
    case Command::kStatus: return status(*client, args, io);
    case Command::kWorkersList: return list_workers(*client, args, io);
    case Command::kEvents: return events(*client, args, io);
    default: break;
  }
  auto r = exchange(*client, build_request(args));
  if (!r) return report(r.error(), io.err);
  io.out << (args.output == OutputFormat::kJson ? r->body + "\n" : render(args.command, r->body, now()));
  return code(ExitCode::kOk);
}

}  // namespace ephemera::ctl
