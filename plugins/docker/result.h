// The shared plugin error types (support/result.h), in this plugin's namespace.
#pragma once

#include "support/result.h"

namespace ephemera::docker {

using plugin_support::Error;
using plugin_support::invalid_argument;
using plugin_support::make_error;
using plugin_support::MaybeError;
using plugin_support::Result;
using plugin_support::unavailable;

}  // namespace ephemera::docker
