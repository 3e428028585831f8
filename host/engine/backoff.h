// Capped exponential backoff with full jitter: retries of one worker's call
// spread out instead of hammering a backend that is already struggling.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace ephemera::engine {

struct BackoffPolicy {
  std::chrono::milliseconds initial{500};
  std::chrono::milliseconds cap{std::chrono::minutes(2)};
  // A permanent error is retried too — slowly — and alerted on.
  std::chrono::milliseconds permanent_retry{std::chrono::minutes(5)};
};

// attempt 1 → [initial/2, initial], doubling up to `cap`.
inline std::chrono::milliseconds backoff_delay(const BackoffPolicy& p, uint32_t attempt, std::mt19937_64& rng) {
  int64_t ceiling = p.initial.count();
  for (uint32_t i = 1; i < attempt && ceiling < p.cap.count(); ++i) ceiling *= 2;
  ceiling = std::min<int64_t>(ceiling, p.cap.count());
  std::uniform_int_distribution<int64_t> jitter(ceiling / 2, ceiling);
  return std::chrono::milliseconds(jitter(rng));
}

}  // namespace ephemera::engine
