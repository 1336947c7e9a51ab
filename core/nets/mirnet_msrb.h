#pragma once
#include "nets/blocks/fast_conv2d.h"
#include "nets/blocks/mirnet_dau.h"
#include "nets/blocks/mirnet_resample.h"
#include "nets/blocks/mirnet_skff.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace restora::mirnet {

struct MsrbOptions {
  int64_t n_feat = 64;
  int64_t height = 3;  ///< scales: level j has n_feat * 2^j channels at 1/2^j resolution
  int64_t width = 2;   ///< columns of DAUs
  bool bias = false;   ///< reaches conv_out only
};

/// Multi-scale residual block. Every row j holds ONE DAU repeated `width` times (the official
/// `[DAU(...)] * width`), registered under blocks.j.0 .. blocks.j.<width-1>. Between columns,
/// every level is fused from all levels by SKFF j; at the end selective_kernel.0 (the same
/// SKFF as level 0 of the mesh) fuses every level brought back to full resolution.
/// Keys (official order): blocks, last_up.<k>, down.<C>_<s>, up.<C>_<s>, conv_out,
/// selective_kernel.<j>. [N, n_feat, H, W] -> [N, n_feat, H, W], H and W multiples of 2^(height-1).
class MsrbImpl : public torch::nn::Module {
 public:
  MsrbImpl(const MsrbOptions& options, const torch::nn::PReLU& dau_act);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;

 private:
  /// Level k's tensor brought to level j (resolution and channels).
  torch::Tensor resample(const torch::Tensor& tensor, int64_t j, int64_t k);
  int64_t channels(int64_t level) const { return options_.n_feat << level; }

  MsrbOptions options_;
  std::vector<Dau> rows_;                  // one DAU per level, reused by every column
  std::vector<UpSample> last_up_;          // index k-1 brings level k to level 0
  std::map<std::string, DownSample> down_; // "<channels>_<scale>"
  std::map<std::string, UpSample> up_;
  FastConv2d conv_out_{nullptr};
  std::vector<Skff> fuse_;
};
TORCH_MODULE(Msrb);

}  // namespace restora::mirnet
