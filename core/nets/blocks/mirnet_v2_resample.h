#pragma once
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace restora::mirnet_v2 {

/// int(channels * chan_factor), as Down computes its output channels.
int64_t grown_channels(int64_t channels, double chan_factor);
/// int(channels // chan_factor) with Python's float floor division, as Up computes them.
int64_t shrunk_channels(int64_t channels, double chan_factor);

/// AvgPool2d(2, ceil_mode=True, count_include_pad=False), then 1x1 C -> int(C * cf), no bias.
/// Key: bot.1.weight. [N, C, H, W] -> [N, int(C*cf), ceil(H/2), ceil(W/2)]
class DownImpl : public torch::nn::Module {
 public:
  DownImpl(int64_t channels, double chan_factor);
  torch::Tensor forward(const torch::Tensor& x);
  /// The same, on an input that is already average-pooled (so that pooling can be shared).
  torch::Tensor forward_pooled(const torch::Tensor& pooled);
  double macs(int64_t h, int64_t w) const;
  int64_t out_channels() const { return out_channels_; }

 private:
  int64_t in_channels_;
  int64_t out_channels_;
  FastConv2d conv_{nullptr};
};
TORCH_MODULE(Down);

/// 1x1 C -> int(C // cf), no bias, THEN bilinear x2 (align_corners False).
/// Key: bot.0.weight. [N, C, H, W] -> [N, int(C//cf), 2H, 2W]
class UpImpl : public torch::nn::Module {
 public:
  UpImpl(int64_t channels, double chan_factor);
  torch::Tensor forward(const torch::Tensor& x);
  double macs(int64_t h, int64_t w) const;
  int64_t out_channels() const { return out_channels_; }

 private:
  int64_t in_channels_;
  int64_t out_channels_;
  FastConv2d conv_{nullptr};
};
TORCH_MODULE(Up);

/// log2(scale) Downs in a row (keys body.<i>). [N, C, H, W] -> [N, C', H/scale, W/scale]
class DownSampleImpl : public torch::nn::Module {
 public:
  DownSampleImpl(int64_t channels, int64_t scale, double chan_factor);
  torch::Tensor forward(torch::Tensor x);
  /// First step on an already pooled input (see DownImpl::forward_pooled).
  torch::Tensor forward_pooled(torch::Tensor pooled);
  double macs(int64_t h, int64_t w) const;
  int64_t out_channels() const;

 private:
  int64_t channels_;
  std::vector<Down> steps_;
};
TORCH_MODULE(DownSample);

/// log2(scale) Ups in a row (keys body.<i>). [N, C, H, W] -> [N, C', H*scale, W*scale]
class UpSampleImpl : public torch::nn::Module {
 public:
  UpSampleImpl(int64_t channels, int64_t scale, double chan_factor);
  torch::Tensor forward(torch::Tensor x);
  double macs(int64_t h, int64_t w) const;
  int64_t out_channels() const;

 private:
  int64_t channels_;
  std::vector<Up> steps_;
};
TORCH_MODULE(UpSample);

/// The pooling that every Down starts with.
torch::Tensor average_pool_2x2(const torch::Tensor& x);

}  // namespace restora::mirnet_v2
