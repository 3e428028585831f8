#include "kit_context.h"

#include <random>
#include <thread>

namespace ephemera::kit {

using namespace plugin_host;
namespace json = boost::json;

json::object parse_object(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

namespace {

std::string random_run_id() {
  std::random_device rd;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string id;
  for (int i = 0; i < 8; ++i) id += "0123456789abcdef"[hex(rd)];
  return id;
}

std::string str_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

KitContext::KitContext(KitOptions options) : options_(std::move(options)), run_id_(random_run_id()) {
  state_dir_ = std::filesystem::temp_directory_path() / ("ephemera-kit-" + run_id_);
  std::filesystem::create_directories(state_dir_);
}

KitContext::~KitContext() {
  instance.reset();
  std::error_code ec;
  std::filesystem::remove_all(state_dir_, ec);
}

std::string KitContext::config_json(const json::object& settings) const {
  json::object config{{"schema", 1},
                      {"provider", "kit"},
                      {"site", "kit"},
                      {"instance_id", "kit-" + run_id_},
                      {"state_dir", state_dir_.string()},
                      {"settings", settings}};
  return json::serialize(config);
}

json::object KitContext::run_labels() const {
  return json::object{{"ephemera.dev/managed-by", "ephemera"},
                      {"ephemera.dev/instance", "kit-" + run_id_}};
}

json::object KitContext::make_spec(const std::string& suffix) const {
  json::object spec = options_.spec_template;
  std::string worker_id = "w-" + run_id_ + "-" + suffix;
  json::object labels = run_labels();
  labels["ephemera.dev/site"] = "kit";
  labels["ephemera.dev/provider"] = "kit";
  labels["ephemera.dev/worker-id"] = worker_id;
  spec["schema"] = 1;
  spec["worker_id"] = worker_id;
  spec["name"] = "eph-kit-" + run_id_ + "-" + suffix;
  spec["labels"] = labels;
  if (!spec.contains("image")) spec["image"] = "kit/sleeper:1";
  if (!spec.contains("command")) spec["command"] = json::array{"sleep", "3600"};
  return spec;
}

std::string KitContext::reference(const json::object& doc) {
  json::object ref{{"schema", 1}, {"name", str_member(doc, "name")},
                   {"worker_id", str_member(doc, "worker_id")}};
  return json::serialize(ref);
}

CallOutcome KitContext::call(ProviderOp op, OpArgs args) {
  return call(op, std::move(args), options_.call_deadline);
}

CallOutcome KitContext::call(ProviderOp op, OpArgs args, std::chrono::milliseconds deadline) {
  auto start = std::chrono::steady_clock::now();
  CallOutcome out = instance->call_sync(op, std::move(args), deadline);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  std::lock_guard lock(mu_);
  ++timing_.calls;
  timing_.slowest = std::max(timing_.slowest, took);
  if (out.status.code() == StatusCode::kDeadlineExceeded &&
      out.status.message().find("did not finish within its deadline") != std::string::npos) {
    ++timing_.overruns;
  }
  return out;
}

CallOutcome KitContext::create(const json::object& spec) {
  {
    std::lock_guard lock(mu_);
    created_.insert(reference(spec));
  }
  return call(ProviderOp::kCreate, {json::serialize(spec)});
}

std::optional<json::object> KitContext::wait_until_started(const json::object& spec) {
  auto until = std::chrono::steady_clock::now() + options_.settle_timeout;
  while (std::chrono::steady_clock::now() < until) {
    CallOutcome got = call(ProviderOp::kGet, {reference(spec)});
    if (!got.status.is_ok()) return std::nullopt;
    json::object info = parse_object(got.payload);
    if (str_member(info, "state") != "pending") return info;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::nullopt;
}

namespace {
std::optional<json::array> list_run(KitContext& ctx) {
  json::object selector{{"schema", 1}, {"labels", ctx.run_labels()}, {"limit", 1000}};
  CallOutcome listed = ctx.call(ProviderOp::kList, {json::serialize(selector)});
  if (!listed.status.is_ok()) return std::nullopt;
  json::object page = parse_object(listed.payload);
  const auto* items = page.if_contains("items");
  return items && items->is_array() ? items->as_array() : json::array{};
}
}  // namespace

size_t KitContext::cleanup() {
  std::set<std::string> refs;
  {
    std::lock_guard lock(mu_);
    refs.swap(created_);
  }
  // Anything else carrying this run's labels (a create that "failed" but
  // left something behind) goes too.
  if (auto items = list_run(*this)) {
    for (const auto& item : *items) {
      if (item.is_object()) refs.insert(reference(item.as_object()));
    }
  }
  size_t removed = 0;
  for (const auto& ref : refs) {
    CallOutcome out = call(ProviderOp::kDestroy, {ref, std::chrono::milliseconds(0), true});
    if (out.status.is_ok()) ++removed;
  }
  return removed;
}

std::optional<size_t> KitContext::remaining() {
  auto items = list_run(*this);
  if (!items) return std::nullopt;
  return items->size();
}

void KitContext::record_push(std::string info_json) {
  json::object info = parse_object(info_json);
  std::lock_guard lock(mu_);
  pushes_.push_back(std::move(info));
  push_cv_.notify_all();
}

bool KitContext::wait_for_push(const std::string& worker_id, const std::string& state,
                               std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return push_cv_.wait_for(lock, timeout, [&] {
    for (const auto& p : pushes_) {
      if (str_member(p, "worker_id") == worker_id && (state.empty() || str_member(p, "state") == state)) {
        return true;
      }
    }
    return false;
  });
}

size_t KitContext::push_count() {
  std::lock_guard lock(mu_);
  return pushes_.size();
}

KitContext::Timing KitContext::timing() {
  std::lock_guard lock(mu_);
  return timing_;
}

}  // namespace ephemera::kit
