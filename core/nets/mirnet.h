#pragma once
#include "nets/blocks/fast_conv2d.h"
#include "nets/mirnet_msrb.h"
#include "nets/network_spec.h"
#include "nets/restoration_network.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace restora {

/// MIRNet (Zamir et al., ECCV 2020; swz30/MIRNet networks/MIRNet_model.py), with the official
/// constructor arguments and defaults.
struct MirnetOptions {
  int64_t in_channels = 3;
  int64_t out_channels = 3;
  int64_t n_feat = 64;
  int64_t kernel_size = 3;  ///< conv_in and conv_out only
  int64_t stride = 2;       ///< channel growth per scale; only 2 builds a working official model
  int64_t n_RRG = 3;
  int64_t n_MSRB = 2;
  int64_t height = 3;
  int64_t width = 2;
  bool bias = false;  ///< reaches conv_in, conv_out and each MSRB's conv_out only
};

/// Recursive residual group: n_MSRB MSRBs and a bias-free 3x3 conv (keys body.<i>), plus the input.
/// [N, n_feat, H, W] -> [N, n_feat, H, W]
class MirnetRrgImpl : public torch::nn::Module {
 public:
  MirnetRrgImpl(const MirnetOptions& options, const torch::nn::PReLU& dau_act);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;

 private:
  int64_t n_feat_;
  std::vector<mirnet::Msrb> msrbs_;
  FastConv2d tail_{nullptr};
};
TORCH_MODULE(MirnetRrg);

/// [N, in_channels, H, W] -> [conv_out(body(conv_in(x))) + x] of [N, out_channels, H, W];
/// H and W multiples of 2^(height-1). Parameters are registered under the official state-dict
/// keys; shared official tensors (the DAU repeated along each MSRB row, the one PReLU of every
/// DAU) are the same tensor under each of their keys.
class MirnetImpl : public RestorationNetworkImpl {
 public:
  explicit MirnetImpl(const MirnetOptions& options);

  std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override;
  size_t final_index() const override { return 0; }
  int64_t size_multiple() const override { return int64_t{1} << (options_.height - 1); }
  int64_t input_channels() const override { return options_.in_channels; }
  int64_t output_channels() const override { return options_.out_channels; }
  double gflop(int64_t height, int64_t width) const override;

  const MirnetOptions& options() const { return options_; }

 private:
  MirnetOptions options_;
  FastConv2d conv_in_{nullptr};
  std::vector<MirnetRrg> groups_;
  FastConv2d conv_out_{nullptr};
};
TORCH_MODULE(Mirnet);

/// Official argument names ("n_feat", "n_RRG", ...) and defaults; throws Error(BadInput) for
/// arguments the official code could not run with.
MirnetOptions mirnet_options(const ArgMap& args);
std::shared_ptr<RestorationNetworkImpl> make_mirnet(const ArgMap& args);

}  // namespace restora
