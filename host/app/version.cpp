#include "app/version.h"

#include "plugin_host/plugin_library.h"

namespace ephemera::app {
std::string version_line(const std::string& program) {
  return program + " " + EPHEMERA_VERSION + " (plugin ABI " + plugin_host::kHostAbi.to_string() + ")";
}
}  // namespace ephemera::app
