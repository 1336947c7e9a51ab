#pragma once
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace restora {

/// nn.Upsample(scale_factor=s, mode="bilinear", align_corners=False) exactly as PyTorch >= 1.6
/// runs it: output size floor(n*s), and the scale factor itself (not the size ratio) reaches the
/// kernel. (LibTorch's interpolate does the same but warns on every call for s = 0.5.)
/// No parameters: it exists as a module so that it takes its index in official nn.Sequentials.
/// [N, C, H, W] -> [N, C, floor(H*s), floor(W*s)]
class BilinearScaleImpl : public torch::nn::Cloneable<BilinearScaleImpl> {
 public:
  explicit BilinearScaleImpl(double scale_) : scale(scale_) {}
  void reset() override {}
  torch::Tensor forward(const torch::Tensor& x);

  double scale;
};
TORCH_MODULE(BilinearScale);

}  // namespace restora
