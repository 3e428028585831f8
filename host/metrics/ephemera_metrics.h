// The metric families of ephemerad (names are the contract with the alert
// rules in packaging/).
#pragma once

#include "metrics/metrics_registry.h"

namespace ephemera::metrics {

inline constexpr const char* kWorkers = "ephemera_workers";                       // gauge {state}
inline constexpr const char* kGcCycles = "ephemera_gc_cycles_total";              // counter
inline constexpr const char* kGcDuration = "ephemera_gc_cycle_duration_seconds";  // histogram
inline constexpr const char* kCleanupLatency = "ephemera_cleanup_latency_seconds";  // histogram {provider}
inline constexpr const char* kOrphansDetected = "ephemera_orphans_detected_total";  // counter {provider}
inline constexpr const char* kOrphansCleaned = "ephemera_orphans_cleaned_total";    // counter {provider}
inline constexpr const char* kProviderCalls = "ephemera_provider_call_duration_seconds";  // histogram {provider,op}
inline constexpr const char* kProviderErrors = "ephemera_provider_call_errors_total";     // counter {provider,op,code}
inline constexpr const char* kStuckCalls = "ephemera_provider_stuck_calls";         // gauge {provider}
inline constexpr const char* kProviderUp = "ephemera_provider_up";                 // gauge {provider}
inline constexpr const char* kDestroyRetries = "ephemera_destroy_retries_total";   // counter {provider}
inline constexpr const char* kPermanentErrors = "ephemera_permanent_errors_total"; // counter {provider}
inline constexpr const char* kStoreWritable = "ephemera_store_writable";           // gauge
inline constexpr const char* kEventsAppended = "ephemera_events_appended_total";   // counter

// Declares every family with its help text and buckets.
void describe_all(MetricsRegistry& registry);

}  // namespace ephemera::metrics
