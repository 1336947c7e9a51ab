// `restora-cli version`: the same report as --version.
#include "cli/command_registry.h"
#include "cli/arg_parser.h"
#include "engine/precision_probe.h"
#include "runtime/version.h"

#include <iostream>

namespace restora::cli {
namespace {

int run_version(const std::vector<std::string>& args) {
  ArgParser parser("restora-cli version", "Print the version, the LibTorch version, threads and devices.");
  const auto parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  std::cout << version_report("restora-cli") << precision_report();
  return 0;
}

const CommandRegistration registration({"version", "print version, LibTorch, threads and devices", run_version});

}  // namespace
}  // namespace restora::cli
