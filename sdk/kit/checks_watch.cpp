// Watch checks: after watch_start a created and a destroyed worker are both
// pushed; after watch_stop returns nothing more arrives.
#include <thread>

#include "check_helpers.h"

namespace ephemera::kit {

using namespace plugin_host;
namespace json = boost::json;

namespace {

CheckOutcome watch_delivers(KitContext& ctx) {
  if (!ctx.instance->capabilities().watch) return CheckOutcome::skip("capabilities say no watch");
  Status started = ctx.instance->watch_start();
  if (!started.is_ok()) return CheckOutcome::fail("watch_start: " + started.to_string());
  json::object spec = ctx.make_spec("w");
  std::string id = member(spec, "worker_id");
  CallOutcome made = ctx.create(spec);
  if (!made.status.is_ok()) return CheckOutcome::fail("create: " + describe(made));
  auto timeout = ctx.options().settle_timeout;
  if (!ctx.wait_for_push(id, "", timeout)) return CheckOutcome::fail("no push for a created worker");
  CallOutcome gone = ctx.call(ProviderOp::kDestroy, {KitContext::reference(spec), std::chrono::seconds(1)});
  if (!gone.status.is_ok()) return CheckOutcome::fail("destroy: " + describe(gone));
  if (!ctx.wait_for_push(id, "gone", timeout)) return CheckOutcome::fail("no \"gone\" push for a destroyed worker");
  Status stopped = ctx.instance->watch_stop();
  if (!stopped.is_ok()) return CheckOutcome::fail("watch_stop: " + stopped.to_string());

  // watch_stop has returned: a change now must not be pushed.
  size_t before = ctx.push_count();
  json::object after = ctx.make_spec("w2");
  ctx.create(after);
  ctx.call(ProviderOp::kDestroy, {KitContext::reference(after), std::chrono::seconds(1)});
  if (ctx.wait_for_push(member(after, "worker_id"), "", std::chrono::milliseconds(500))) {
    return CheckOutcome::fail("a push arrived after watch_stop returned");
  }
  return CheckOutcome::pass(std::to_string(before) + " pushes while watching");
}

}  // namespace

std::vector<Check> watch_checks() { return {{"watch start/stop delivers changes", watch_delivers}}; }

}  // namespace ephemera::kit
