#pragma once
#include <string>
#include <vector>

namespace restora::cli {

/// One subcommand of restora-cli. `run` gets the arguments after the subcommand name and returns
/// the exit code; it may throw restora::Error, which main() turns into a one-line message.
struct Command {
  std::string name;
  std::string summary;
  int (*run)(const std::vector<std::string>& args);
};

/// Subcommands register themselves from their own .cpp (linked straight into the executable).
class CommandRegistry {
 public:
  static void add(const Command& command);
  static const std::vector<Command>& all();
  static const Command* find(const std::string& name);
};

struct CommandRegistration {
  explicit CommandRegistration(const Command& command) { CommandRegistry::add(command); }
};

}  // namespace restora::cli
