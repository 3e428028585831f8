#include "mock/fault_config.h"

#include "mock/json_reader.h"

#include <utility>

namespace ephemera::mock {
namespace {

constexpr std::array<std::string_view, kOpCount> kOpNames = {
    "create", "get", "list", "stop", "destroy", "harden", "health"};

constexpr std::array<std::pair<std::string_view, int32_t>, 10> kStatusNames = {{
    {"NOT_FOUND", EPH_NOT_FOUND},
    {"ALREADY_EXISTS", EPH_ALREADY_EXISTS},
    {"INVALID_ARGUMENT", EPH_INVALID_ARGUMENT},
    {"UNAVAILABLE", EPH_UNAVAILABLE},
    {"DEADLINE_EXCEEDED", EPH_DEADLINE_EXCEEDED},
    {"PERMISSION_DENIED", EPH_PERMISSION_DENIED},
    {"RESOURCE_EXHAUSTED", EPH_RESOURCE_EXHAUSTED},
    {"ABORTED", EPH_ABORTED},
    {"UNSUPPORTED", EPH_UNSUPPORTED},
    {"INTERNAL", EPH_INTERNAL},
}};

// A quota error without advice would make the host guess; one second is what
// a typical API server's Retry-After says.
constexpr int64_t kDefaultRetryAfterMs = 1000;

Result<OpFault> parse_op_fault(const json::object& table, std::string pointer) {
  ObjectReader r(table, std::move(pointer));
  r.reject_unknown({"latency_ms", "fail_nth", "fail_first", "fail_every", "fail_fraction", "seed",
                    "status", "retry_after_ms", "after_success"});
  OpFault f;
  f.latency = std::chrono::milliseconds(r.integer("latency_ms", 0).value_or(0));
  f.fail_nth = r.integer("fail_nth", 1).value_or(0);
  f.fail_first = r.integer("fail_first", 0).value_or(0);
  f.fail_every = r.integer("fail_every", 1).value_or(0);
  f.fail_fraction = r.number("fail_fraction", 0.0, 1.0).value_or(0.0);
  f.seed = static_cast<uint64_t>(r.integer("seed", 0).value_or(1));
  f.after_success = r.boolean("after_success").value_or(false);
  std::optional<std::string> status = r.string("status");
  std::optional<int64_t> retry_after = r.integer("retry_after_ms", 0);
  if (r.error()) return *r.error();
  // An answer lost after the work was done is, by default, a timeout.
  f.status = f.after_success ? EPH_DEADLINE_EXCEEDED : EPH_UNAVAILABLE;
  if (status) {
    std::optional<int32_t> code = status_from_name(*status);
    if (!code) {
      r.fail("status", "unknown status '" + *status + "' (use e.g. UNAVAILABLE, DEADLINE_EXCEEDED, "
                       "RESOURCE_EXHAUSTED, INTERNAL, NOT_FOUND)");
      return *r.error();
    }
    f.status = *code;
  }
  f.retry_after_ms = retry_after.value_or(f.status == EPH_RESOURCE_EXHAUSTED ? kDefaultRetryAfterMs : -1);
  return f;
}

}  // namespace

std::string_view op_name(Op op) { return kOpNames[static_cast<size_t>(op)]; }

std::optional<int32_t> status_from_name(std::string_view name) {
  for (const auto& [n, code] : kStatusNames)
    if (n == name) return code;
  return std::nullopt;
}

std::string_view status_name(int32_t status) {
  if (status == EPH_OK) return "OK";
  for (const auto& [n, code] : kStatusNames)
    if (code == status) return n;
  return "UNKNOWN";
}

Result<FaultTable> parse_faults(const json::value& faults, const std::string& pointer) {
  if (!faults.is_object())
    return invalid_argument(pointer, (pointer.empty() ? "/" : pointer) + ": expected an object (table)");
  FaultTable table{};
  ObjectReader r(faults.get_object(), pointer);
  r.reject_unknown(kOpNames);
  for (size_t i = 0; i < kOpCount && !r.error(); ++i) {
    const json::object* op = r.object(kOpNames[i]);
    if (op == nullptr) continue;
    Result<OpFault> parsed = parse_op_fault(*op, r.pointer_to(kOpNames[i]));
    if (!parsed.ok()) return parsed.error();
    table[i] = parsed.value();
  }
  if (r.error()) return *r.error();
  return table;
}

}  // namespace ephemera::mock
