#include "cli/command_registry.h"

#include <algorithm>

namespace restora::cli {
namespace {
std::vector<Command>& commands() {
  static std::vector<Command> list;  // function-local: safe against static-initialisation order
  return list;
}
}  // namespace

void CommandRegistry::add(const Command& command) {
  auto& list = commands();
  list.push_back(command);
  std::sort(list.begin(), list.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
}

const std::vector<Command>& CommandRegistry::all() { return commands(); }

const Command* CommandRegistry::find(const std::string& name) {
  for (const auto& command : commands())
    if (command.name == name) return &command;
  return nullptr;
}

}  // namespace restora::cli
