#include "app/ephemerad_cli.h"

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/plugin_info.h"
#include "app/version.h"

namespace ephemera::app {
namespace {

constexpr int kExitUsage = 64;  // EX_USAGE

void usage(std::ostream& out) {
  out << "usage: ephemerad [--version] [--help]\n"
         "       ephemerad --plugin-info PLUGIN.so [--settings JSON] [--state-dir DIR]\n"
         "\n"
         "  --plugin-info  load a provider plugin, open it and print its capabilities and health\n";
}

}  // namespace

int ephemerad_main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  std::string plugin, settings = "{}";
  std::filesystem::path state_dir = std::filesystem::temp_directory_path() / "ephemera-plugin-info";
  for (size_t i = 0; i < args.size(); ++i) {
    auto value = [&](std::string_view flag) -> std::string {
      if (i + 1 >= args.size()) throw std::invalid_argument(std::string(flag) + " needs a value");
      return std::string(args[++i]);
    };
    try {
      if (args[i] == "--version") {
        std::cout << version_line("ephemerad") << "\n";
        return 0;
      } else if (args[i] == "--help" || args[i] == "-h") {
        usage(std::cout);
        return 0;
      } else if (args[i] == "--plugin-info") {
        plugin = value(args[i]);
      } else if (args[i] == "--settings") {
        settings = value(args[i]);
      } else if (args[i] == "--state-dir") {
        state_dir = value(args[i]);
      } else {
        std::cerr << "ephemerad: unknown argument '" << args[i] << "'\n";
        usage(std::cerr);
        return kExitUsage;
      }
    } catch (const std::invalid_argument& e) {
      std::cerr << "ephemerad: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  if (plugin.empty()) {
    usage(std::cerr);
    return kExitUsage;
  }
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  return print_plugin_info(plugin, settings, state_dir, std::cout, std::cerr);
}

}  // namespace ephemera::app
