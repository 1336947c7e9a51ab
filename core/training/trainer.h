#pragma once
#include "training/train_config.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace restora {

/// A progress report, sent every config.log_every iterations.
struct TrainProgress {
  int64_t iteration = 0;  ///< iterations done
  int64_t total = 0;
  double loss = 0;        ///< mean training loss since the previous report
  double lr = 0;
  double iterations_per_second = 0;  ///< in this session, since the previous report
  double eta_seconds = 0;
};

struct TrainRunOptions {
  bool resume = false;                    ///< continue from the resume state (refused if none)
  std::filesystem::path state_root;       ///< empty: user_cache_dir() / "train"
  int64_t stop_at = 0;                    ///< save and stop once this many iterations are done (0: all)
  const std::atomic<bool>* stop = nullptr;  ///< set (e.g. on SIGTERM): save at the next iteration and return
  std::function<void(const TrainProgress&)> on_progress;
  std::function<void(const std::string&)> on_message;  ///< one-line notes: start, validation, saves
};

struct TrainResult {
  int64_t iteration = 0;          ///< iterations done when train() returned
  std::filesystem::path run_dir;  ///< resume state, logs, latest weights
  std::filesystem::path weights;  ///< <name>.pth in the official layout (params + metadata)
  bool finished = false;          ///< all config.iterations done
};

/// Runs (or resumes) a training run: the network of config.network trained with Adam, warm-up
/// and cosine learning rate, gradient clipping and the configured losses on every network output,
/// batches from a background loader thread. Every checkpoint_every iterations (and when stopping)
/// it writes the resume state and <name>.pth; every validation.every iterations it appends the
/// scores to validation.csv (losses go to loss.csv). A run resumed from its state gives the same
/// weights, bit for bit, as an uninterrupted one. Throws restora::Error: BadUsage for a resume
/// that does not match the config or a fresh start over an existing state, BadInput for unusable
/// data.
TrainResult train(const TrainConfig& config, const TrainRunOptions& options);

/// The run folder of a config: <state_root>/<config.name>.
std::filesystem::path run_directory(const TrainConfig& config, const std::filesystem::path& state_root = {});

}  // namespace restora
