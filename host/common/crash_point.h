// Crash points: fault injection for crash-recovery tests. With
// EPHEMERA_CRASH_POINT=NAME in the environment, the process dies the first
// time it reaches crash_point(NAME) — _exit(kCrashExitCode): no destructors,
// no flush, no reply sent, as if the host were SIGKILLed at that line.
// Unset (production), a crash point costs one comparison.
//
// Points: "after-intent" (WorkerCreated is durable, the provider's create not
// yet called), "after-create" (the provider created the resource, its event
// not yet written).
#pragma once

#include <string_view>

namespace ephemera {

inline constexpr int kCrashExitCode = 86;

void crash_point(std::string_view name);

}  // namespace ephemera
