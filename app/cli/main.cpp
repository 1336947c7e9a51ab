// restora-cli: the command-line front end. Parses the subcommand and reports errors; the work
// itself happens in restora_core.
#include "cli/command_registry.h"
#include "common/error.h"
#include "engine/precision_probe.h"
#include "runtime/threads.h"
#include "runtime/version.h"

#include <c10/util/Exception.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

namespace {

void print_usage(std::ostream& out) {
  out << "usage: restora-cli [--version] [--help] COMMAND [ARGS]\n\n"
         "Restores photographs with deep networks (MPRNet, MIRNet, MIRNet-v2, HINet, SSEN).\n\n"
         "commands:\n";
  size_t width = 0;
  for (const auto& command : restora::cli::CommandRegistry::all()) width = std::max(width, command.name.size());
  for (const auto& command : restora::cli::CommandRegistry::all())
    out << "  " << command.name << std::string(width + 2 - command.name.size(), ' ') << command.summary << '\n';
  out << "\nRun 'restora-cli COMMAND --help' for a command's options.\n"
         "Exit codes: 0 success, 1 the job ran but something failed, 2 bad usage or unusable input.\n";
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    restora::configure_threads();
    if (args.empty()) {
      print_usage(std::cerr);
      return 2;
    }
    if (args[0] == "--version" || args[0] == "-V") {
      std::cout << restora::version_report("restora-cli") << restora::precision_report();
      return 0;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      print_usage(std::cout);
      return 0;
    }
    const auto* command = restora::cli::CommandRegistry::find(args[0]);
    if (command == nullptr) {
      std::cerr << "restora-cli: unknown command '" << args[0] << "' (run 'restora-cli --help')\n";
      return 2;
    }
    return command->run(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const restora::Error& error) {
    std::cerr << "restora-cli: " << error.what() << '\n';
    return restora::exit_code_for(error.kind());
  } catch (const c10::Error& error) {
    std::cerr << "restora-cli: internal LibTorch error: " << first_line(error.what_without_backtrace()) << '\n';
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "restora-cli: out of memory (try a smaller --tile or --memory)\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "restora-cli: " << first_line(error.what()) << '\n';
    return 1;
  }
}
