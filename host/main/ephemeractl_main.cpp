// ephemeractl: the CLI over the admin API; everything is in ephemera_ctl.
#include <cstdlib>
#include <iostream>

#include "ctl/ctl_runner.h"

int main(int argc, char** argv) {
  auto var = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
  ephemera::ctl::Environment env{var("EPHEMERA_SOCKET"), var("EPHEMERA_TOKEN")};
  return ephemera::ctl::run_ctl(std::vector<std::string>(argv + 1, argv + argc), env, nullptr,
                                {std::cin, std::cout, std::cerr});
}
