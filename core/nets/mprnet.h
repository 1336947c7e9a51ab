#pragma once
#include "nets/blocks/fast_conv2d.h"
#include "nets/blocks/sam.h"
#include "nets/mprnet_stages.h"
#include "nets/network_spec.h"
#include "nets/restoration_network.h"

#include <torch/nn/pimpl.h>

#include <memory>

namespace restora {

/// MPRNet's constructor arguments under their official names; defaults are Deblurring/MPRNet.py's.
/// (Denoising uses n_feat 80; Deraining 40/20/16.) in_c and out_c are accepted and, as in the
/// official code, ignored: the network always reads and writes 3 channels.
struct MprnetOptions {
  TORCH_ARG(int64_t, in_c) = 3;
  TORCH_ARG(int64_t, out_c) = 3;
  TORCH_ARG(int64_t, n_feat) = 96;
  TORCH_ARG(int64_t, scale_unetfeats) = 48;
  TORCH_ARG(int64_t, scale_orsnetfeats) = 32;
  TORCH_ARG(int64_t, num_cab) = 8;
  TORCH_ARG(int64_t, kernel_size) = 3;
  TORCH_ARG(int64_t, reduction) = 4;
  TORCH_ARG(bool, bias) = false;
};

/// Multi-Stage Progressive Image Restoration (Zamir et al., CVPR 2021), parameter for parameter
/// the official swz30/MPRNet model: stage 1 on four quarters, stage 2 on two halves, stage 3
/// (ORSNet) at full resolution. Registered names are the official state-dict keys, including
/// the one PReLU that every CAB shares (it appears under each `*.body.1.weight`).
/// [N, 3, H, W] (H, W multiples of 8) -> [stage3 (restored), stage2, stage1], each [N, 3, H, W].
class MprnetImpl : public RestorationNetworkImpl {
 public:
  explicit MprnetImpl(MprnetOptions options = {});

  std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override;
  size_t final_index() const override { return 0; }
  int64_t size_multiple() const override { return 8; }
  double gflop(int64_t height, int64_t width) const override;

  /// Run the convolutions on channels-last (NHWC) activations; outputs are NCHW either way.
  /// Numerically equivalent (the order of accumulation inside oneDNN may differ by ~1e-7).
  /// On by default: measured less CPU time per forward than NCHW at 256x256 on our 2 cores.
  void set_channels_last(bool enabled) { channels_last_ = enabled; }
  bool channels_last() const { return channels_last_; }

  const MprnetOptions options;

 private:
  bool channels_last_ = true;
  torch::nn::PReLU act{nullptr};
  torch::nn::Sequential shallow_feat1{nullptr}, shallow_feat2{nullptr}, shallow_feat3{nullptr};
  MprnetEncoder stage1_encoder{nullptr}, stage2_encoder{nullptr};
  MprnetDecoder stage1_decoder{nullptr}, stage2_decoder{nullptr};
  MprnetOrsNet stage3_orsnet{nullptr};
  SupervisedAttention sam12{nullptr}, sam23{nullptr};
  FastConv2d concat12{nullptr}, concat23{nullptr}, tail{nullptr};
};
TORCH_MODULE(Mprnet);

/// Builds MPRNet from official constructor arguments (absent ones take the defaults).
/// Throws restora::Error(BadInput) for unknown or invalid arguments.
std::shared_ptr<RestorationNetworkImpl> make_mprnet(const ArgMap& args);

}  // namespace restora
