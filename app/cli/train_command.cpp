// `restora-cli train --config FILE.json [--resume]`: trains (or resumes) one model.
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "common/error.h"
#include "runtime/threads.h"
#include "training/train_config.h"
#include "training/trainer.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace restora::cli {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) { stop_requested.store(true); }

std::string clock_text(double seconds) {
  const long long s = static_cast<long long>(seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  return text;
}

void print_progress(const TrainProgress& p) {
  char line[200];
  std::snprintf(line, sizeof line, "iteration %lld/%lld  loss %.5f  lr %.3g  %.3f it/s  ETA %s",
                static_cast<long long>(p.iteration), static_cast<long long>(p.total), p.loss, p.lr,
                p.iterations_per_second, clock_text(p.eta_seconds).c_str());
  std::cout << line << std::endl;
}

int run_train(const std::vector<std::string>& args) {
  ArgParser parser("restora-cli train --config FILE.json [--resume] [--stop-at N] [--state-dir DIR] [--threads N]",
                   "Train a model as FILE.json describes (docs/TRAINING.md). The resume state (weights, optimiser,\n"
                   "iteration), loss.csv, validation.csv, plot.png and the latest weights NAME.pth live in\n"
                   "$XDG_CACHE_HOME/restora/train/NAME/ (default ~/.cache). SIGINT/SIGTERM save and stop;\n"
                   "--resume continues bit-exactly where the state left off.");
  parser.option("config", 'c', "FILE", "the training config (JSON)")
      .flag("resume", 'r', "continue the run from its resume state")
      .option("stop-at", 0, "N", "save and stop once N iterations are done (default: the config's total)")
      .option("state-dir", 0, "DIR", "where run folders live instead of $XDG_CACHE_HOME/restora/train")
      .option("threads", 0, "N", "intra-op threads (default: one per core)");
  const ParsedArgs parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  configure_threads(static_cast<int>(parsed.int_value("threads", 0, 0, 1024)));
  const TrainConfig config = load_train_config(parsed.value("config"));

  TrainRunOptions options;
  options.resume = parsed.has("resume");
  options.stop_at = parsed.int_value("stop-at", 0, 1, 1LL << 40);
  if (auto dir = parsed.optional_value("state-dir")) options.state_root = *dir;
  options.stop = &stop_requested;
  options.on_progress = print_progress;
  options.on_message = [](const std::string& text) { std::cout << text << std::endl; };
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);

  const TrainResult result = train(config, options);
  std::cout << (result.finished ? "finished" : "stopped") << " at iteration " << result.iteration << "; weights "
            << result.weights.string() << std::endl;
  if (!result.finished) {
    const auto state_dir = parsed.optional_value("state-dir");
    std::cout << "resume with: restora-cli train --config " << parsed.value("config") << " --resume"
              << (state_dir ? " --state-dir " + *state_dir : std::string()) << std::endl;
  }
  return 0;
}

const CommandRegistration registration({"train", "train or fine-tune a model from a JSON config", run_train});

}  // namespace
}  // namespace restora::cli
