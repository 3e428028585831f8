#include "fake_host.h"

#include <boost/json/parse.hpp>

namespace ephemera::mock::test {
namespace {

int32_t is_cancelled(eph_call* call) {
  return reinterpret_cast<FakeCall*>(call)->cancelled.load() ? 1 : 0;
}

// The provider under test is driven through its C++ interface, so results
// come back as sdk::Reply; nothing calls write_result.
void write_result(eph_call*, const eph_result*) {}

}  // namespace

FakeHost::FakeHost() {
  api_.struct_size = sizeof api_;
  api_.callback_write_result = &write_result;
  api_.callback_log = &on_log;
  api_.callback_now_ms = &on_now;
  api_.callback_is_cancelled = &is_cancelled;
  api_.callback_push_status = &on_push;
  api_.callback_request_reconcile = &on_reconcile;
}

void FakeHost::on_log(eph_host* h, int32_t level, eph_str message) {
  std::lock_guard lock(self(h).mu_);
  self(h).logs_.push_back(std::to_string(level) + " " + std::string(sdk::from_eph_str(message)));
}

int64_t FakeHost::on_now(eph_host* h) { return self(h).now_ms_.load(); }

void FakeHost::on_push(eph_host* h, eph_str info) {
  {
    std::lock_guard lock(self(h).mu_);
    self(h).pushes_.emplace_back(sdk::from_eph_str(info));
  }
  self(h).changed_.notify_all();
}

void FakeHost::on_reconcile(eph_host* h, eph_str) {
  {
    std::lock_guard lock(self(h).mu_);
    ++self(h).reconciles_;
  }
  self(h).changed_.notify_all();
}

std::vector<std::string> FakeHost::pushes() const {
  std::lock_guard lock(mu_);
  return pushes_;
}

std::vector<std::string> FakeHost::logs() const {
  std::lock_guard lock(mu_);
  return logs_;
}

int FakeHost::reconcile_requests() const {
  std::lock_guard lock(mu_);
  return reconciles_;
}

void FakeHost::clear_pushes() {
  std::lock_guard lock(mu_);
  pushes_.clear();
}

bool FakeHost::wait_for_push(const std::function<bool(const boost::json::object&)>& pred,
                             std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] {
    for (const std::string& p : pushes_)
      if (pred(boost::json::parse(p).as_object())) return true;
    return false;
  });
}

bool FakeHost::wait_for_reconcile(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return reconciles_ > 0; });
}

}  // namespace ephemera::mock::test
