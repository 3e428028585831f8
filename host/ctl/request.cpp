#include "ctl/request.h"

#include "ctl/spec_body.h"

namespace ephemera::ctl {
namespace {

class Query {
 public:
  Query& add(std::string_view key, std::string_view value) {
    text_ += text_.empty() ? '?' : '&';
    text_ += key;
    text_ += '=';
    text_ += url_encode(value);
    return *this;
  }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

Request get(std::string target) { return {"GET", std::move(target), ""}; }
Request post(std::string target, std::string body = "") {
  return {"POST", std::move(target), std::move(body)};
}

std::string worker_path(const Args& args) { return "/v1/workers/" + url_encode(args.target); }

Request list_workers(const Args& args) {
  Query q;
  if (args.state) q.add("state", *args.state);
  if (args.provider) q.add("provider", *args.provider);
  for (const auto& [k, v] : args.labels) q.add("label", k + "=" + v);
  if (args.all) q.add("all", "true");
  if (args.limit) q.add("limit", std::to_string(*args.limit));
  if (!args.page_after.empty()) q.add("after", args.page_after);
  return get("/v1/workers" + q.str());
}

Request delete_worker(const Args& args) {
  Query q;
  if (args.grace) q.add("grace_seconds", std::to_string(args.grace->count()));
  if (args.force) q.add("force", "true");
  return {"DELETE", worker_path(args) + q.str(), ""};
}

Request events(const Args& args) {
  Query q;
  if (args.after_seq) q.add("after", std::to_string(*args.after_seq));
  if (args.worker) q.add("worker", *args.worker);
  if (args.follow) q.add("follow", "true").add("timeout", kFollowWait);
  return get("/v1/events" + q.str());
}

Request scan_orphans(const Args& args) {
  Query q;
  if (args.dry_run) q.add("dry_run", "true");
  if (args.provider) q.add("provider", *args.provider);
  return post("/v1/orphans/scan" + q.str());
}

}  // namespace

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

StatusRequests status_requests() {
  return {get("/healthz"), get("/readyz"), get("/v1/providers")};
}

Request build_request(const Args& args) {
  switch (args.command) {
    case Command::kHelp:
    case Command::kVersion: return {};
    case Command::kStatus: return status_requests().healthz;
    case Command::kProviders: return get("/v1/providers");
    case Command::kWorkersList: return list_workers(args);
    case Command::kWorkersGet: return get(worker_path(args));
    case Command::kWorkersCreate: return post("/v1/workers", create_body(args));
    case Command::kWorkersReport: return post(worker_path(args) + "/" + args.report);
    case Command::kWorkersDelete: return delete_worker(args);
    case Command::kEvents: return events(args);
    case Command::kGcRun: return post("/v1/gc/run");
    case Command::kOrphansScan: return scan_orphans(args);
    case Command::kSpecRender:
      return post("/v1/providers/" + url_encode(args.target) + "/render", spec_body(args));
  }
  return {};
}

}  // namespace ephemera::ctl
