// `restora-cli models`: the bundled and user models, one per line starting with its id.
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "models/model_registry.h"

#include <cstdio>
#include <iostream>

namespace restora::cli {
namespace {

int run_models(const std::vector<std::string>& args) {
  ArgParser parser("restora-cli models",
                   "List the bundled models and the user's ($XDG_DATA_HOME/restora/models/models.json), one per\n"
                   "line: id, network, task, scale, file size, checksum status (ok, CHANGED, MISSING), origin,\n"
                   "training status. Exit 1 when a model's file is missing or does not match its manifest.");
  const ParsedArgs parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  const ModelRegistry registry = ModelRegistry::discover();
  for (const auto& warning : registry.warnings()) std::cerr << "restora-cli: warning: " << warning << '\n';
  if (registry.models().empty()) {
    std::cout << "no models (bundled: " << bundled_models_dir().string() << ", user: " << user_models_dir().string()
              << ")\n";
    return 0;
  }
  bool all_ok = true;
  for (const auto& model : registry.models()) {
    const ChecksumStatus status = verify_checksum(model);
    all_ok = all_ok && status == ChecksumStatus::Ok;
    std::printf("%-24s %-10s %-9s x%-2lld %6.1f MB  checksum %-7s %-7s %s\n", model.id.c_str(),
                model.network.network.c_str(), model.task.c_str(), static_cast<long long>(model.scale),
                static_cast<double>(model.size) / 1e6, to_string(status), model.origin.c_str(),
                model.training.status.c_str());
  }
  return all_ok ? 0 : 1;
}

const CommandRegistration registration({"models", "list the bundled and user models", run_models});

}  // namespace
}  // namespace restora::cli
