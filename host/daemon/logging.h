// Logging set-up for ephemerad: spdlog to stderr, plain text (journald adds
// its own timestamps) or one JSON object per line. Plugin lines carry the
// provider's name (plugin_host/host_api.cpp).
#pragma once

#include "config/site_config.h"

namespace ephemera::daemon {

void setup_logging(config::LogFormat format, config::LogLevel level);
void set_log_level(config::LogLevel level);

}  // namespace ephemera::daemon
