// The mock provider: a simulated backend whose resources live as files in a
// state directory (see README.md). This class is the edge between the SDK's
// C++ interface and the errors-as-values logic below it; plugin_entry.cpp
// exports it through the C ABI, tests drive it directly with a fake host.
//
// Thread-safety: every operation may run concurrently (unless configured
// thread_safe=false, where an overlap is reported as a host contract
// violation). watch_start/watch_stop are not called concurrently with each
// other.
#pragma once

#include "mock/fault_injector.h"
#include "mock/json_reader.h"
#include "mock/label_selector.h"
#include "mock/mock_config.h"
#include "mock/reference.h"
#include "mock/result.h"
#include "mock/state_store.h"
#include "mock/watcher.h"
#include "mock/worker_spec.h"

#include <ephemera/provider.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace ephemera::mock {

class MockProvider final : public sdk::Provider {
 public:
  // No I/O.
  static sdk::Reply validate_config(std::string_view config_json);
  // Succeeds whenever the config is valid, even if the state directory cannot
  // be created or the backend is DOWN (the provider is then degraded).
  static sdk::Reply open(sdk::Host host, std::string_view config_json,
                         std::unique_ptr<MockProvider>& out);

  MockProvider(sdk::Host host, MockConfig config);
  ~MockProvider() override;

  sdk::Reply capabilities() override;
  sdk::Reply create(const sdk::Call& call, std::string_view spec_json) override;
  sdk::Reply get(const sdk::Call& call, std::string_view ref_json) override;
  sdk::Reply list(const sdk::Call& call, std::string_view selector_json) override;
  sdk::Reply stop(const sdk::Call& call, std::string_view ref_json,
                  std::chrono::milliseconds grace) override;
  sdk::Reply destroy(const sdk::Call& call, std::string_view ref_json,
                     std::chrono::milliseconds grace, bool force) override;
  sdk::Reply harden(const sdk::Call& call, std::string_view spec_json) override;
  sdk::Reply health(const sdk::Call& call) override;
  sdk::Reply watch_start() override;
  sdk::Reply watch_stop() override;

  const MockConfig& config() const { return config_; }

 private:
  using Operation = std::function<Result<std::string>()>;
  // The simulated backend around every operation: concurrency contract,
  // DOWN switch, injected latency and failures.
  sdk::Reply run_op(const sdk::Call& call, Op op, const Operation& operation);
  MaybeError check_concurrency(int64_t in_flight) const;

  // Input is parsed before the backend is involved (like a real client
  // library): bad input is INVALID_ARGUMENT whatever faults are injected.
  Result<json::object> parse_and_harden(std::string_view spec_json) const;
  Result<std::string> do_create(const WorkerSpec& spec);
  Result<std::string> do_get(const Reference& ref);
  Result<std::string> do_list(const Selector& selector);
  Result<std::string> do_stop(const Reference& ref, std::chrono::milliseconds grace);
  Result<std::string> do_destroy(const Reference& ref);
  Result<std::string> do_health();

  Result<Snapshot> load_all();
  Result<std::optional<Resource>> find(const Reference& ref);
  std::string info_json(const Resource& r) const;
  std::optional<WatchView> watch_scan();

  const sdk::Host host_;
  const MockConfig config_;
  const StateStore store_;
  FaultInjector faults_;
  std::atomic<int64_t> in_flight_{0};
  std::mutex watch_mu_;
  std::unique_ptr<Watcher> watcher_;
  std::mutex warned_mu_;
  std::set<std::string> warned_;  // malformed files already logged
};

// An Error as the SDK reply: status, message, retry-after and, for errors
// about one member, the {"schema":1,"pointer":…} payload.
sdk::Reply to_reply(const Error& error);

}  // namespace ephemera::mock
