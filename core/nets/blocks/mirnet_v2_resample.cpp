#include "nets/blocks/mirnet_v2_resample.h"

#include "nets/blocks/mirnet_common.h"
#include "nets/blocks/mirnet_resample.h"

#include <torch/nn/functional/pooling.h>
#include <torch/nn/functional/upsampling.h>

#include <cmath>

namespace restora::mirnet_v2 {
namespace F = torch::nn::functional;

int64_t grown_channels(int64_t channels, double chan_factor) {
  return static_cast<int64_t>(static_cast<double>(channels) * chan_factor);
}

int64_t shrunk_channels(int64_t channels, double chan_factor) {
  // CPython's float_floor_div: floor((a - fmod(a, b)) / b), corrected towards the exact quotient.
  const auto a = static_cast<double>(channels);
  double mod = std::fmod(a, chan_factor);
  double div = (a - mod) / chan_factor;
  if (mod != 0.0 && ((chan_factor < 0) != (mod < 0))) div -= 1.0;
  double floordiv = 0.0;
  if (div != 0.0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  }
  return static_cast<int64_t>(floordiv);
}

torch::Tensor average_pool_2x2(const torch::Tensor& x) {
  return F::avg_pool2d(x, F::AvgPool2dFuncOptions(2).ceil_mode(true).count_include_pad(false));
}

DownImpl::DownImpl(int64_t channels, double chan_factor)
    : in_channels_(channels), out_channels_(grown_channels(channels, chan_factor)) {
  auto bot = mirnet::add_path(*this, "bot");
  conv_ = bot->register_module("1", same_conv(in_channels_, out_channels_, 1, false));
}

torch::Tensor DownImpl::forward(const torch::Tensor& x) { return conv_(average_pool_2x2(x)); }

torch::Tensor DownImpl::forward_pooled(const torch::Tensor& pooled) { return conv_(pooled); }

double DownImpl::macs(int64_t h, int64_t w) const {
  return conv_macs(in_channels_, out_channels_, 1, (h + 1) / 2, (w + 1) / 2);
}

UpImpl::UpImpl(int64_t channels, double chan_factor)
    : in_channels_(channels), out_channels_(shrunk_channels(channels, chan_factor)) {
  auto bot = mirnet::add_path(*this, "bot");
  conv_ = bot->register_module("0", same_conv(in_channels_, out_channels_, 1, false));
}

torch::Tensor UpImpl::forward(const torch::Tensor& x) {
  return F::interpolate(conv_(x), F::InterpolateFuncOptions()
                                      .scale_factor(std::vector<double>{2.0, 2.0})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
}

double UpImpl::macs(int64_t h, int64_t w) const { return conv_macs(in_channels_, out_channels_, 1, h, w); }

DownSampleImpl::DownSampleImpl(int64_t channels, int64_t scale, double chan_factor) : channels_(channels) {
  auto body = mirnet::add_path(*this, "body");
  for (int64_t i = 0; i < mirnet::log2_steps(scale); ++i) {
    steps_.push_back(body->register_module(std::to_string(i), Down(channels, chan_factor)));
    channels = grown_channels(channels, chan_factor);
  }
}

torch::Tensor DownSampleImpl::forward(torch::Tensor x) {
  for (auto& step : steps_) x = step(x);
  return x;
}

torch::Tensor DownSampleImpl::forward_pooled(torch::Tensor pooled) {
  for (size_t i = 0; i < steps_.size(); ++i) pooled = i == 0 ? steps_[i]->forward_pooled(pooled) : steps_[i](pooled);
  return pooled;
}

double DownSampleImpl::macs(int64_t h, int64_t w) const {
  double total = 0;
  for (const auto& step : steps_) {
    total += step->macs(h, w);
    h = (h + 1) / 2;
    w = (w + 1) / 2;
  }
  return total;
}

int64_t DownSampleImpl::out_channels() const { return steps_.empty() ? channels_ : steps_.back()->out_channels(); }

UpSampleImpl::UpSampleImpl(int64_t channels, int64_t scale, double chan_factor) : channels_(channels) {
  auto body = mirnet::add_path(*this, "body");
  for (int64_t i = 0; i < mirnet::log2_steps(scale); ++i) {
    steps_.push_back(body->register_module(std::to_string(i), Up(channels, chan_factor)));
    channels = shrunk_channels(channels, chan_factor);
  }
}

torch::Tensor UpSampleImpl::forward(torch::Tensor x) {
  for (auto& step : steps_) x = step(x);
  return x;
}

double UpSampleImpl::macs(int64_t h, int64_t w) const {
  double total = 0;
  for (const auto& step : steps_) {
    total += step->macs(h, w);
    h *= 2;
    w *= 2;
  }
  return total;
}

int64_t UpSampleImpl::out_channels() const { return steps_.empty() ? channels_ : steps_.back()->out_channels(); }

}  // namespace restora::mirnet_v2
