#pragma once
#include "nets/blocks/fast_conv2d.h"
#include "nets/mirnet_v2_mrb.h"
#include "nets/network_spec.h"
#include "nets/restoration_network.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace restora {

/// MIRNet-v2 (Zamir et al., TPAMI 2022; swz30/MIRNetv2 basicsr/models/archs/mirnet_v2_arch.py),
/// with the official constructor arguments and defaults.
struct MirnetV2Options {
  int64_t inp_channels = 3;
  int64_t out_channels = 3;
  int64_t n_feat = 80;
  double chan_factor = 1.5;
  int64_t n_RRG = 4;   ///< accepted and ignored: the body is always 4 RRGs (groups 1, 2, 4, 4)
  int64_t n_MRB = 2;
  int64_t height = 3;  ///< accepted and ignored: MRB is fixed at 3 scales
  int64_t width = 2;   ///< accepted and ignored: MRB is fixed at 2 passes
  int64_t scale = 1;   ///< accepted and ignored: there is no upsampler
  bool bias = false;
  std::optional<std::string> task;  ///< "defocus_deblurring" drops the input residual

  bool defocus() const { return task && *task == "defocus_deblurring"; }
};

/// Recursive residual group: n_MRB MRBs and a 3x3 conv (keys body.<i>), plus the input.
/// [N, n_feat, H, W] -> [N, n_feat, H, W]
class MirnetV2RrgImpl : public torch::nn::Module {
 public:
  MirnetV2RrgImpl(const MirnetV2Options& options, int64_t groups);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;

 private:
  int64_t n_feat_;
  std::vector<mirnet_v2::Mrb> mrbs_;
  FastConv2d tail_{nullptr};
};
TORCH_MODULE(MirnetV2Rrg);

/// [N, inp_channels, H, W] -> [out] of [N, out_channels, H, W], H and W multiples of 4:
/// conv_out(body(f)) + x with f = conv_in(x), or conv_out(body(f) + f) for the defocus task.
class MirnetV2Impl : public RestorationNetworkImpl {
 public:
  explicit MirnetV2Impl(const MirnetV2Options& options);

  std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override;
  size_t final_index() const override { return 0; }
  int64_t size_multiple() const override { return 4; }
  int64_t input_channels() const override { return options_.inp_channels; }
  int64_t output_channels() const override { return options_.out_channels; }
  double gflop(int64_t height, int64_t width) const override;

  const MirnetV2Options& options() const { return options_; }

 private:
  MirnetV2Options options_;
  FastConv2d conv_in_{nullptr};
  std::vector<MirnetV2Rrg> groups_;
  FastConv2d conv_out_{nullptr};
};
TORCH_MODULE(MirnetV2);

/// Official argument names ("n_feat", "chan_factor", "task", ...) and defaults; throws
/// Error(BadInput) for arguments the official code could not run with.
MirnetV2Options mirnet_v2_options(const ArgMap& args);
std::shared_ptr<RestorationNetworkImpl> make_mirnet_v2(const ArgMap& args);

}  // namespace restora
