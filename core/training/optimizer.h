#pragma once
#include "checkpoint/state_dict.h"

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace restora {

struct AdamOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0;  ///< L2 added to the gradient, as torch.optim.Adam does
  /// Learning-rate factors for parameters whose name contains a key (the first key that matches;
  /// 1 for the rest), as per-group learning rates in torch.optim: SSEN's offset and mask heads
  /// learn slower than the rest, as deformable-alignment networks commonly train them.
  std::vector<std::pair<std::string, double>> lr_scales;
};

/// Adam exactly as torch.optim.Adam (PyTorch 1.13, amsgrad off) computes it, with its moments
/// exposed so that resume states can hold them: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
/// p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
class Adam {
 public:
  /// `names` label the parameters in the saved state (the module's parameter names).
  Adam(std::vector<torch::Tensor> parameters, std::vector<std::string> names, AdamOptions options);

  /// One update with learning rate `lr` from the gradients now in the parameters' .grad().
  /// Parameters without a gradient are skipped (their step count stays).
  void step(double lr);
  void zero_grad();
  int64_t steps() const { return step_; }

  /// exp_avg.<name>, exp_avg_sq.<name> for every parameter; the step count travels separately.
  StateDict state() const;
  /// Restores moments saved by state(). Throws restora::Error(BadInput) naming a missing or
  /// mismatched moment.
  void load_state(const StateDict& state, int64_t steps);

  const std::vector<torch::Tensor>& parameters() const { return parameters_; }

 private:
  std::vector<torch::Tensor> parameters_;
  std::vector<std::string> names_;
  AdamOptions options_;
  std::vector<torch::Tensor> exp_avg_, exp_avg_sq_;
  std::vector<double> lr_scale_;  ///< per parameter, from options_.lr_scales
  int64_t step_ = 0;
};

/// Learning rate at `iteration` (0-based): linear warm-up from lr/warmup to lr over the first
/// `warmup` iterations, then cosine annealing from lr down to lr_min at `total` (PyTorch's
/// CosineAnnealingLR closed form, as HINet's TrueCosineAnnealingLR and MIRNet-v2's
/// CosineAnnealingRestartCyclicLR with one period use it).
double learning_rate(int64_t iteration, double lr, double lr_min, int64_t warmup, int64_t total);

/// Scales all gradients so that their global L2 norm is at most `max_norm` (torch's
/// clip_grad_norm_). Returns the norm before clipping.
double clip_gradients(const std::vector<torch::Tensor>& parameters, double max_norm);

}  // namespace restora
