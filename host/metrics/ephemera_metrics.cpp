#include "metrics/ephemera_metrics.h"

namespace ephemera::metrics {

void describe_all(MetricsRegistry& r) {
  using T = MetricsRegistry::Type;
  r.describe(kWorkers, T::kGauge, "Tracked workers by lifecycle state (cleaned-up ones excluded).");
  r.describe(kGcCycles, T::kCounter, "GC cycles run.");
  r.describe(kGcDuration, T::kHistogram, "Time to dispatch one GC cycle's due work.", latency_buckets());
  r.describe(kCleanupLatency, T::kHistogram, "From cleanup due to the provider confirming removal.",
             latency_buckets());
  r.describe(kOrphansDetected, T::kCounter, "Orphaned resources detected (this instance's labels, untracked).");
  r.describe(kOrphansCleaned, T::kCounter, "Orphaned resources removed.");
  r.describe(kProviderCalls, T::kHistogram, "Provider call latency by operation.", latency_buckets());
  r.describe(kProviderErrors, T::kCounter, "Provider call errors by operation and status code.");
  r.describe(kStuckCalls, T::kGauge, "Provider calls abandoned at their deadline and still running.");
  r.describe(kProviderUp, T::kGauge, "1 when the provider's last health probe or call succeeded.");
  r.describe(kDestroyRetries, T::kCounter, "Destroy calls retried after a transient error.");
  r.describe(kPermanentErrors, T::kCounter, "Provider calls that failed with a permanent error (alert).");
  r.describe(kStoreWritable, T::kGauge, "1 when the event store accepts writes (0: e.g. disk full).");
  r.describe(kEventsAppended, T::kCounter, "Events made durable.");
}

}  // namespace ephemera::metrics
