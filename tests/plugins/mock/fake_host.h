// A real eph_host_api backed by a fake clock, for driving the mock provider's
// logic without dlopen: pushes, logs and reconcile requests are recorded.
#pragma once

#include <ephemera/provider.hpp>

#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace ephemera::mock::test {

class FakeHost {
 public:
  // Later than any real clock a test runs under, so a planted file's mtime
  // (real time) is in the fake past.
  static constexpr int64_t kStartMs = 2'000'000'000'000;

  FakeHost();
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  sdk::Host host() { return sdk::Host(&api_, reinterpret_cast<eph_host*>(this)); }
  const eph_host_api* api() const { return &api_; }

  int64_t now_ms() const { return now_ms_.load(); }
  void advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }

  std::vector<std::string> pushes() const;
  std::vector<std::string> logs() const;
  int reconcile_requests() const;
  void clear_pushes();
  // Waits (real time) until a push satisfies `pred`.
  bool wait_for_push(const std::function<bool(const boost::json::object&)>& pred,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5));
  bool wait_for_reconcile(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  static FakeHost& self(eph_host* h) { return *reinterpret_cast<FakeHost*>(h); }
  static void on_log(eph_host* h, int32_t level, eph_str message);
  static int64_t on_now(eph_host* h);
  static void on_push(eph_host* h, eph_str info);
  static void on_reconcile(eph_host* h, eph_str reason);

  eph_host_api api_{};
  std::atomic<int64_t> now_ms_{kStartMs};
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::string> pushes_;
  std::vector<std::string> logs_;
  int reconciles_ = 0;
};

// One call's host-side handle: the result written back and a cancel flag.
class FakeCall {
 public:
  sdk::Call call(const FakeHost& host, int64_t deadline_ms = 10'000) {
    return sdk::Call(host.api(), reinterpret_cast<eph_call*>(this), deadline_ms);
  }
  std::atomic<bool> cancelled{false};
};

}  // namespace ephemera::mock::test
