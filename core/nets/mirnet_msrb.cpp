#include "nets/mirnet_msrb.h"

#include "nets/blocks/mirnet_common.h"

#include <cstdlib>

namespace restora::mirnet {
namespace {

std::string resampler_key(int64_t channels, int64_t scale) {
  return std::to_string(channels) + "_" + std::to_string(scale);
}

}  // namespace

MsrbImpl::MsrbImpl(const MsrbOptions& options, const torch::nn::PReLU& dau_act) : options_(options) {
  const int64_t height = options_.height;
  auto blocks = add_path(*this, "blocks");
  for (int64_t j = 0; j < height; ++j) {
    auto row = add_path(*blocks, std::to_string(j));
    Dau dau(channels(j), dau_act);
    for (int64_t i = 0; i < options_.width; ++i) row->register_module(std::to_string(i), dau);
    rows_.push_back(dau);
  }

  auto last_up = add_path(*this, "last_up");
  for (int64_t k = 1; k < height; ++k)
    last_up_.push_back(last_up->register_module(std::to_string(k), UpSample(channels(k), int64_t{1} << k)));

  // Official insertion order: level by level from the top, largest scale first.
  auto down = add_path(*this, "down");
  for (int64_t level = 0; level < height; ++level)
    for (int64_t steps = height - 1 - level; steps >= 1; --steps) {
      const std::string key = resampler_key(channels(level), int64_t{1} << steps);
      down_.emplace(key, down->register_module(key, DownSample(channels(level), int64_t{1} << steps)));
    }
  auto up = add_path(*this, "up");
  for (int64_t level = height - 1; level >= 0; --level)
    for (int64_t steps = level; steps >= 1; --steps) {
      const std::string key = resampler_key(channels(level), int64_t{1} << steps);
      up_.emplace(key, up->register_module(key, UpSample(channels(level), int64_t{1} << steps)));
    }

  conv_out_ = register_module("conv_out", same_conv(options_.n_feat, options_.n_feat, 3, options_.bias));
  auto selective_kernel = add_path(*this, "selective_kernel");
  for (int64_t j = 0; j < height; ++j)
    fuse_.push_back(
        selective_kernel->register_module(std::to_string(j), Skff(SkffOptions::for_mirnet(channels(j), height))));
}

torch::Tensor MsrbImpl::resample(const torch::Tensor& tensor, int64_t j, int64_t k) {
  if (j == k) return tensor;
  const std::string key = resampler_key(tensor.size(1), int64_t{1} << std::abs(j - k));
  return j < k ? up_.at(key)(tensor) : down_.at(key)(tensor);
}

torch::Tensor MsrbImpl::forward(const torch::Tensor& x) {
  const auto height = static_cast<size_t>(options_.height);
  std::vector<torch::Tensor> levels;
  levels.reserve(height);
  for (size_t j = 0; j < height; ++j)
    levels.push_back(rows_[j](j == 0 ? x : down_.at(resampler_key(levels.back().size(1), 2))(levels.back())));

  for (int64_t column = 1; column < options_.width; ++column) {
    std::vector<torch::Tensor> fused;
    fused.reserve(height);
    for (size_t j = 0; j < height; ++j) {
      std::vector<torch::Tensor> inputs;
      inputs.reserve(height);
      for (size_t k = 0; k < height; ++k)
        inputs.push_back(resample(levels[k], static_cast<int64_t>(j), static_cast<int64_t>(k)));
      fused.push_back(fuse_[j](inputs));
    }
    for (size_t j = 0; j < height; ++j) levels[j] = rows_[j](fused[j]);
  }

  std::vector<torch::Tensor> full_resolution{levels[0]};
  for (size_t k = 1; k < height; ++k) full_resolution.push_back(last_up_[k - 1](levels[k]));
  return conv_out_(fuse_[0](full_resolution)).add_(x);
}

double MsrbImpl::macs(int64_t h, int64_t w) const {
  const int64_t height = options_.height;
  const auto level_h = [&](int64_t j) { return h >> j; };
  const auto level_w = [&](int64_t j) { return w >> j; };
  double total = 0;
  for (int64_t j = 0; j < height; ++j) {
    total += static_cast<double>(options_.width) * rows_[static_cast<size_t>(j)]->macs(level_h(j), level_w(j));
    if (j > 0) total += down_.at(resampler_key(channels(j - 1), 2))->macs(level_h(j - 1), level_w(j - 1));
  }
  for (int64_t column = 1; column < options_.width; ++column)
    for (int64_t j = 0; j < height; ++j) {
      total += fuse_[static_cast<size_t>(j)]->macs();
      for (int64_t k = 0; k < height; ++k) {
        const std::string key = resampler_key(channels(k), int64_t{1} << std::abs(j - k));
        if (j < k) total += up_.at(key)->macs(level_h(k), level_w(k));
        if (j > k) total += down_.at(key)->macs(level_h(k), level_w(k));
      }
    }
  for (int64_t k = 1; k < height; ++k) total += last_up_[static_cast<size_t>(k - 1)]->macs(level_h(k), level_w(k));
  return total + fuse_[0]->macs() + conv_macs(options_.n_feat, options_.n_feat, 3, h, w);
}

}  // namespace restora::mirnet
