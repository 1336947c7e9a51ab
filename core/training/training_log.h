#pragma once
#include "training/validation.h"

#include <cstdint>
#include <filesystem>

namespace restora {

/// The CSV logs of a run folder, appended row by row (flushed, so a killed run keeps them):
/// loss.csv (iteration, wall_seconds, lr, loss, grad_norm) and validation.csv (iteration,
/// wall_seconds, degradation, psnr, ssim, input_psnr); plot() draws plot.png from both.
class TrainingLog {
 public:
  explicit TrainingLog(std::filesystem::path run_dir);

  void loss_row(int64_t iteration, double wall_seconds, double lr, double loss, double grad_norm);
  void validation_row(int64_t iteration, double wall_seconds, const ValidationScore& score);
  /// plot.png: training loss (top) and validation PSNR of each degradation (bottom) against
  /// iterations. Best effort: a failure to draw never stops training.
  void plot() const;

 private:
  std::filesystem::path dir_;
};

/// Drops the rows after `iteration` from both logs: a run killed after logging and before saving
/// resumes from its last state, and its logs must not hold the iterations it will redo.
void truncate_logs_after(const std::filesystem::path& run_dir, int64_t iteration);

}  // namespace restora
