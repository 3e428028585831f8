#pragma once
#include <string>

namespace ephemera::app {
// "ephemerad 0.1.0 (plugin ABI 0.1)"
std::string version_line(const std::string& program);
}  // namespace ephemera::app
