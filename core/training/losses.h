#pragma once
#include <torch/types.h>

#include <string>
#include <vector>

namespace restora {

/// The pixel losses of the design papers, each on [N, C, H, W] prediction and target:
/// - charbonnier: mean sqrt((x - y)^2 + eps^2), eps = 1e-3 (MPRNet, MIRNet)
/// - edge: Charbonnier of the Laplacian-pyramid band of both images (MPRNet's EdgeLoss: a 5x5
///   binomial Gaussian with replicate padding, down- and up-sampled by 2)
/// - psnr: 10/ln(10) * mean over images of log(MSE + 1e-8), i.e. minus PSNR (HINet's PSNRLoss)
/// - l1: mean |x - y| (MIRNet-v2, BasicSR)
/// - mse: mean (x - y)^2
torch::Tensor charbonnier_loss(const torch::Tensor& prediction, const torch::Tensor& target, double eps = 1e-3);
torch::Tensor edge_loss(const torch::Tensor& prediction, const torch::Tensor& target);
torch::Tensor psnr_loss(const torch::Tensor& prediction, const torch::Tensor& target);
torch::Tensor l1_loss(const torch::Tensor& prediction, const torch::Tensor& target);
torch::Tensor mse_loss(const torch::Tensor& prediction, const torch::Tensor& target);

/// One weighted term of a training loss.
struct LossTerm {
  std::string kind;  ///< charbonnier, edge, psnr, l1, mse
  double weight = 1.0;
};

/// Throws restora::Error(BadUsage) naming an unknown kind.
void check_loss_terms(const std::vector<LossTerm>& terms);

/// The weighted sum of the terms over every output of a network (each stage of MPRNet and HINet is
/// supervised with the full-resolution target, as their official training does). A scalar.
torch::Tensor total_loss(const std::vector<torch::Tensor>& outputs, const torch::Tensor& target,
                         const std::vector<LossTerm>& terms);

}  // namespace restora
