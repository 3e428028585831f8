// The mock provider's config: the host's provider document plus our
// `settings` table. Parsing does no I/O (validate_config must not).
#pragma once

#include "mock/fault_config.h"
#include "mock/result.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace ephemera::mock {

// Limits harden() fills in when a spec leaves them out.
struct ResourceDefaults {
  int64_t cpu_millis = 1000;
  int64_t memory_bytes = 512LL * 1024 * 1024;
  int64_t pids = 256;
};

struct MockConfig {
  std::filesystem::path state_dir;    // settings.state_dir, else the top-level state_dir
  std::chrono::milliseconds start_delay{0};
  std::chrono::milliseconds watch_interval{100};
  bool thread_safe = true;
  int64_t max_concurrency = 8;
  int64_t page_size = 100;            // list limit when the selector gives none
  std::string default_user = "65532";
  ResourceDefaults default_resources;
  FaultTable faults{};
};

// Parses and checks a provider config document. Errors are
// EPH_INVALID_ARGUMENT with the JSON pointer of the offending member.
Result<MockConfig> parse_config(std::string_view config_json);

// True for "0", "root", "0:…" and "root:…": users harden() never lets through.
bool is_root_user(std::string_view user);

}  // namespace ephemera::mock
