#include "store/event_codec.h"

#include <boost/json.hpp>

#include <exception>
#include <optional>

#include "store/event_store.h"

namespace ephemera::store {
namespace {

namespace json = boost::json;
using domain::Millis;

int64_t to_ns(WallTime t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
WallTime from_ns(int64_t ns) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::nanoseconds(ns)));
}

json::value opt_ns(const std::optional<WallTime>& t) { return t ? json::value(to_ns(*t)) : json::value(nullptr); }

// Memory for one document's JSON tree: most documents fit the stack buffer,
// and nothing is freed piecemeal (this is the writer thread's hot path).
class Scratch {
 public:
  json::storage_ptr storage() { return json::storage_ptr(&resource_); }

 private:
  unsigned char buffer_[4096];
  json::monotonic_resource resource_{buffer_, sizeof buffer_};
};

// Reads fields of one JSON object, remembering the first problem so a
// decoder reads straight through and checks status() once at the end.
class Fields {
 public:
  Fields(const json::object& object, std::string_view what) : object_(object), what_(what) {}

  const Status& status() const { return status_; }

  std::string str(std::string_view key) { return text(key, true); }
  std::string opt_str(std::string_view key) { return text(key, false); }
  bool boolean(std::string_view key, bool required = true) {
    const json::value* v = find(key, required);
    if (v == nullptr) return false;
    if (v->is_bool()) return v->get_bool();
    fail(key, "true or false");
    return false;
  }
  template <class T>
  T number(std::string_view key, bool required = true) {
    return opt_number<T>(key, required).value_or(T{});
  }
  // Absent (when allowed) or null: nullopt.
  template <class T>
  std::optional<T> opt_number(std::string_view key, bool required = false) {
    const json::value* v = find(key, required);
    if (v == nullptr || v->is_null()) return std::nullopt;
    json::error_code ec;
    T n = v->to_number<T>(ec);
    if (!ec) return n;
    fail(key, "an integer in range");
    return std::nullopt;
  }
  Millis millis(std::string_view key, bool required = true) { return Millis(number<int64_t>(key, required)); }
  WallTime instant(std::string_view key) { return from_ns(number<int64_t>(key)); }
  std::optional<WallTime> opt_instant(std::string_view key) {
    auto ns = opt_number<int64_t>(key, true);
    return ns ? std::optional<WallTime>(from_ns(*ns)) : std::nullopt;
  }
  const json::object* object(std::string_view key, bool required = true) {
    const json::value* v = find(key, required);
    if (v == nullptr) return nullptr;
    if (v->is_object()) return &v->get_object();
    fail(key, "an object");
    return nullptr;
  }
  void fail(std::string_view key, std::string_view expected) {
    if (status_.is_ok()) {
      status_ = Status(StatusCode::kInvalidArgument,
                       std::string(what_) + " field '" + std::string(key) + "': expected " + std::string(expected));
    }
  }
  void refuse(Status s) {
    if (status_.is_ok()) status_ = std::move(s);
  }

 private:
  const json::value* find(std::string_view key, bool required) {
    const json::value* v = object_.if_contains(key);
    if (v == nullptr && required) fail(key, "a value (missing)");
    return v;
  }
  std::string text(std::string_view key, bool required) {
    const json::value* v = find(key, required);
    if (v == nullptr) return {};
    if (v->is_string()) return std::string(v->get_string());
    fail(key, "a string");
    return {};
  }

  const json::object& object_;
  std::string_view what_;
  Status status_;
};

// "v" says which payload version wrote the document; a newer one may mean
// fields this build would silently drop, so it is refused.
void check_version(Fields& f, std::string_view what) {
  auto v = f.number<int64_t>("v");
  if (!f.status().is_ok()) return;
  if (v > kEventPayloadVersion) {
    f.refuse(Status(StatusCode::kInvalidArgument, std::string(what) + " payload version " + std::to_string(v) +
                                                      " is newer than this ephemerad supports (" +
                                                      std::to_string(kEventPayloadVersion) + ")"));
  } else if (v < 1) {
    f.fail("v", "a payload version >= 1");
  }
}

// Parses `text` as one JSON object and hands it to `decode`. Boost.JSON
// errors (and bad_alloc) stop here.
template <class T, class Decode>
Result<T> decode_object(std::string_view text, std::string_view what, Decode decode) {
  try {
    json::error_code ec;
    Scratch scratch;
    // Strings are stored as given; bytes that are not UTF-8 must read back too.
    json::parse_options options;
    options.allow_invalid_utf8 = true;
    json::value v = json::parse(text, ec, scratch.storage(), options);
    if (ec) return Status(StatusCode::kInvalidArgument, std::string(what) + ": malformed JSON: " + ec.message());
    if (!v.is_object()) return Status(StatusCode::kInvalidArgument, std::string(what) + ": expected a JSON object");
    Fields f(v.get_object(), what);
    check_version(f, what);
    if (!f.status().is_ok()) return f.status();
    T out = decode(f);
    if (!f.status().is_ok()) return f.status();
    return out;
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string(what) + ": " + e.what());
  }
}

// --- policy ---------------------------------------------------------------

json::object policy_json(const domain::WorkerPolicy& p, const json::storage_ptr& sp) {
  json::object o(sp);
  o["max_lifetime_ms"] = p.max_lifetime.count();
  o["idle_timeout_ms"] = p.idle_timeout.count();
  o["startup_timeout_ms"] = p.startup_timeout.count();
  o["ttl_after_completion_ms"] =
      p.ttl_after_completion ? json::value(p.ttl_after_completion->count()) : json::value(nullptr);
  o["failed_retention_ms"] = p.failed_retention.count();
  o["auto_cleanup_enabled"] = p.auto_cleanup_enabled;
  o["orphan_detection_enabled"] = p.orphan_detection_enabled;
  o["orphan_check_interval_ms"] = p.orphan_check_interval.count();
  o["orphan_grace_ms"] = p.orphan_grace.count();
  o["readiness"] = p.readiness == domain::Readiness::kApi ? "api" : "backend";
  return o;
}

domain::WorkerPolicy policy_from(Fields& f) {
  domain::WorkerPolicy p;
  p.max_lifetime = f.millis("max_lifetime_ms");
  p.idle_timeout = f.millis("idle_timeout_ms");
  p.startup_timeout = f.millis("startup_timeout_ms");
  if (auto ttl = f.opt_number<int64_t>("ttl_after_completion_ms", true)) p.ttl_after_completion = Millis(*ttl);
  p.failed_retention = f.millis("failed_retention_ms");
  p.auto_cleanup_enabled = f.boolean("auto_cleanup_enabled");
  p.orphan_detection_enabled = f.boolean("orphan_detection_enabled");
  p.orphan_check_interval = f.millis("orphan_check_interval_ms");
  p.orphan_grace = f.millis("orphan_grace_ms");
  std::string readiness = f.str("readiness");
  if (readiness == "api") {
    p.readiness = domain::Readiness::kApi;
  } else if (readiness != "backend") {
    f.fail("readiness", "\"backend\" or \"api\"");
  }
  return p;
}

// Decodes a nested object with its own Fields, passing its error up.
template <class T, class Decode>
T nested(Fields& parent, std::string_view key, std::string_view what, Decode decode) {
  const json::object* o = parent.object(key);
  if (o == nullptr) return T{};
  Fields f(*o, what);
  T out = decode(f);
  parent.refuse(f.status());
  return out;
}

// --- intent ---------------------------------------------------------------

json::object intent_json(const domain::CreationIntent& in, const json::storage_ptr& sp) {
  json::object labels(sp);
  for (const auto& [k, v] : in.labels) labels[k] = v;
  json::object o(sp);
  o["provider"] = in.provider;
  o["resource_name"] = in.resource_name;
  o["labels"] = std::move(labels);
  o["policy"] = policy_json(in.policy, sp);
  o["spec_hash"] = in.spec_hash;
  o["redacted_spec"] = in.redacted_spec;
  return o;
}

std::map<std::string, std::string> labels_from(Fields& f) {
  std::map<std::string, std::string> labels;
  const json::object* o = f.object("labels");
  if (o == nullptr) return labels;
  for (const auto& [k, v] : *o) {
    if (!v.is_string()) {
      f.fail("labels", "string values");
      break;
    }
    labels.emplace(std::string(k), std::string(v.get_string()));
  }
  return labels;
}

domain::CreationIntent intent_from(Fields& f) {
  domain::CreationIntent in;
  in.provider = f.str("provider");
  in.resource_name = f.str("resource_name");
  in.labels = labels_from(f);
  in.policy = nested<domain::WorkerPolicy>(f, "policy", "policy", policy_from);
  in.spec_hash = f.str("spec_hash");
  in.redacted_spec = f.str("redacted_spec");
  return in;
}

// --- event ----------------------------------------------------------------

// Fields at their default are left out: the log stays small, and a decoder
// reading an absent field as the default keeps the round trip exact.
json::object event_json(const domain::Event& e, const json::storage_ptr& sp) {
  json::object o(sp);
  o["v"] = kEventPayloadVersion;
  o["seq"] = e.seq;
  o["worker_id"] = e.worker_id;
  o["type"] = domain::event_type_name(e.type);
  o["at_ns"] = to_ns(e.at);
  if (!e.reason.empty()) o["reason"] = e.reason;
  if (e.exit_code) o["exit_code"] = *e.exit_code;
  if (!e.resource_id.empty()) o["resource_id"] = e.resource_id;
  if (e.grace.count() != 0) o["grace_ms"] = e.grace.count();
  if (e.force) o["force"] = true;
  if (e.intent) o["intent"] = intent_json(*e.intent, sp);
  if (!e.provider.empty()) o["provider"] = e.provider;
  return o;
}

domain::Event event_from(Fields& f) {
  domain::Event e;
  e.seq = f.number<uint64_t>("seq");
  e.worker_id = f.str("worker_id");
  std::string type = f.str("type");
  if (auto t = domain::event_type_from_name(type)) {
    e.type = *t;
  } else {
    f.fail("type", "an event type name");
  }
  e.at = f.instant("at_ns");
  e.reason = f.opt_str("reason");
  e.exit_code = f.opt_number<int32_t>("exit_code");
  e.resource_id = f.opt_str("resource_id");
  e.grace = f.millis("grace_ms", false);
  e.force = f.boolean("force", false);
  if (f.object("intent", false) != nullptr) {
    e.intent = nested<domain::CreationIntent>(f, "intent", "intent", intent_from);
  }
  e.provider = f.opt_str("provider");
  return e;
}

// --- record ---------------------------------------------------------------

json::object backend_json(const domain::BackendObservation& b, const json::storage_ptr& sp) {
  json::object o(sp);
  o["phase"] = domain::backend_phase_name(b.phase);
  o["exit_code"] = b.exit_code ? json::value(*b.exit_code) : json::value(nullptr);
  o["reason"] = b.reason;
  o["finished_at_ns"] = opt_ns(b.finished_at);
  return o;
}

domain::BackendObservation backend_from(Fields& f) {
  domain::BackendObservation b;
  if (auto p = domain::backend_phase_from_name(f.str("phase"))) {
    b.phase = *p;
  } else {
    f.fail("phase", "a backend phase name");
  }
  b.exit_code = f.opt_number<int32_t>("exit_code", true);
  b.reason = f.str("reason");
  b.finished_at = f.opt_instant("finished_at_ns");
  return b;
}

// The projection row is for people too: every field is written out.
json::object record_json(const domain::WorkerRecord& r, const json::storage_ptr& sp) {
  json::object o(sp);
  o["v"] = kEventPayloadVersion;
  o["worker_id"] = r.worker_id;
  o["intent"] = intent_json(r.intent, sp);
  o["resource_id"] = r.resource_id;
  o["state"] = domain::state_name(r.state);
  o["created_at_ns"] = to_ns(r.created_at);
  o["state_entered_at_ns"] = to_ns(r.state_entered_at);
  o["backend"] = backend_json(r.backend, sp);
  o["cleanup"] = domain::cleanup_name(r.cleanup);
  o["cleanup_due_at_ns"] = opt_ns(r.cleanup_due_at);
  o["cleaned_up_at_ns"] = opt_ns(r.cleaned_up_at);
  o["terminating_reason"] = r.terminating_reason;
  o["stop_grace_ms"] = r.stop_grace.count();
  o["force_destroy"] = r.force_destroy;
  o["final_reason"] = r.final_reason;
  o["last_seq"] = r.last_seq;
  return o;
}

domain::WorkerRecord record_from(Fields& f) {
  domain::WorkerRecord r;
  r.worker_id = f.str("worker_id");
  r.intent = nested<domain::CreationIntent>(f, "intent", "intent", intent_from);
  r.resource_id = f.str("resource_id");
  if (auto s = domain::state_from_name(f.str("state"))) {
    r.state = *s;
  } else {
    f.fail("state", "a worker state name");
  }
  r.created_at = f.instant("created_at_ns");
  r.state_entered_at = f.instant("state_entered_at_ns");
  r.backend = nested<domain::BackendObservation>(f, "backend", "backend", backend_from);
  if (auto c = domain::cleanup_from_name(f.str("cleanup"))) {
    r.cleanup = *c;
  } else {
    f.fail("cleanup", "a cleanup status name");
  }
  r.cleanup_due_at = f.opt_instant("cleanup_due_at_ns");
  r.cleaned_up_at = f.opt_instant("cleaned_up_at_ns");
  r.terminating_reason = f.str("terminating_reason");
  r.stop_grace = f.millis("stop_grace_ms");
  r.force_destroy = f.boolean("force_destroy");
  r.final_reason = f.str("final_reason");
  r.last_seq = f.number<uint64_t>("last_seq");
  return r;
}

}  // namespace

std::string encode_event(const domain::Event& event) {
  Scratch scratch;
  return json::serialize(event_json(event, scratch.storage()));
}

Result<domain::Event> decode_event(std::string_view text) {
  return decode_object<domain::Event>(text, "event", event_from);
}

std::string encode_record(const domain::WorkerRecord& record) {
  Scratch scratch;
  return json::serialize(record_json(record, scratch.storage()));
}

Result<domain::WorkerRecord> decode_record(std::string_view text) {
  return decode_object<domain::WorkerRecord>(text, "worker record", record_from);
}

std::string encode_policy(const domain::WorkerPolicy& policy) {
  Scratch scratch;
  json::object o = policy_json(policy, scratch.storage());
  o["v"] = kEventPayloadVersion;
  return json::serialize(o);
}

Result<domain::WorkerPolicy> decode_policy(std::string_view text) {
  return decode_object<domain::WorkerPolicy>(text, "policy", policy_from);
}

}  // namespace ephemera::store
