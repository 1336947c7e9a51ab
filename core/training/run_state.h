#pragma once
#include "checkpoint/state_dict.h"

#include <torch/nn/module.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace restora {

/// What a resumed run needs beyond its config. Batches, crops and noise are functions of
/// (seed, iteration) (see TrainingBatchPlan), so the iteration is the whole RNG and data-order state.
struct RunState {
  int64_t iteration = 0;     ///< iterations done
  int64_t adam_steps = 0;
  double wall_seconds = 0;   ///< training time summed over sessions
  int64_t sessions = 0;      ///< runs of `train` that contributed
  double best_psnr = 0;      ///< best mean validation PSNR of the first degradation so far
  int64_t best_iteration = 0;
  std::string config;        ///< TrainConfig::canonical of the run
  std::string weights_file;  ///< within the run folder
  std::string optimizer_file;
};

/// The network's parameters and buffers under their (official) names, on the CPU.
StateDict module_state(const torch::nn::Module& module);

/// Writes weights-<k>.pth, optimizer-<k>.pth and then state.json (atomically, by rename) into
/// `run_dir`, and removes the files of the previous state. A crash at any point leaves the
/// previous complete state usable.
void save_run_state(const std::filesystem::path& run_dir, RunState state, const StateDict& weights,
                    const StateDict& optimizer);

/// The state in `run_dir`, or nullopt when there is none. Throws restora::Error(BadInput)
/// naming the file when it is unreadable.
std::optional<RunState> load_run_state(const std::filesystem::path& run_dir);

/// Writes `text` to `path` atomically (beside it, then renamed over it).
void write_text_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace restora
