// ephemera-plugin-check PLUGIN.so [--config FILE]
#include <fstream>
#include <iostream>
#include <sstream>

#include "kit_runner.h"

namespace {

constexpr int kExitUsage = 2;

int usage() {
  std::cerr << "usage: ephemera-plugin-check PLUGIN.so [--config FILE] [--deadline-ms N]\n"
               "  FILE is JSON: {\"settings\": {plugin settings}, \"spec\": {fields for test workers}}\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ephemera::kit;
  KitOptions options;
  std::string config_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--config" || arg == "--deadline-ms") && i + 1 < argc) {
      std::string value = argv[++i];
      if (arg == "--config") config_path = value;
      else options.call_deadline = std::chrono::milliseconds(std::stol(value));
    } else if (arg == "-h" || arg == "--help") {
      usage();
      return 0;
    } else if (!arg.empty() && arg[0] != '-' && options.plugin.empty()) {
      options.plugin = arg;
    } else {
      return usage();
    }
  }
  if (options.plugin.empty()) return usage();
  if (!config_path.empty()) {
    std::ifstream in(config_path);
    if (!in) {
      std::cerr << "ephemera-plugin-check: cannot read " << config_path << "\n";
      return kExitUsage;
    }
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(text.str(), ec);
    if (ec || !doc.is_object()) {
      std::cerr << "ephemera-plugin-check: " << config_path << " is not a JSON object\n";
      return kExitUsage;
    }
    if (const auto* s = doc.as_object().if_contains("settings"); s && s->is_object()) options.settings = s->as_object();
    if (const auto* s = doc.as_object().if_contains("spec"); s && s->is_object()) options.spec_template = s->as_object();
  }
  return run_kit(std::move(options), std::cout);
}
