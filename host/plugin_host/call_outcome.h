// Turns what a plugin call left behind (return code + written result) into a
// CallOutcome the rest of the host can trust.
#pragma once

#include <cstdint>

#include "plugin_host/call_executor.h"

namespace ephemera::plugin_host {

// Reads the eph_call's written result; unknown codes become INTERNAL and an
// error without a message gets one that names the code.
CallOutcome collect_outcome(eph_call& call, int32_t raw_status);

}  // namespace ephemera::plugin_host
