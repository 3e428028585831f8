#include "common/crash_point.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace ephemera {
namespace {

const std::string& armed_point() {
  static const std::string point = [] {
    const char* env = std::getenv("EPHEMERA_CRASH_POINT");
    return std::string(env ? env : "");
  }();
  return point;
}

}  // namespace

void crash_point(std::string_view name) {
  if (armed_point().empty() || armed_point() != name) return;
  std::fprintf(stderr, "crash point '%.*s' reached: exiting %d\n", static_cast<int>(name.size()), name.data(),
               kCrashExitCode);
  _exit(kCrashExitCode);
}

}  // namespace ephemera
