#include "nets/blocks/offset_estimator.h"

#include "nets/blocks/conv_cost.h"

#include <torch/nn/functional/upsampling.h>
#include <torch/nn/modules/container/modulelist.h>

#include <string>

namespace restora {
namespace {

torch::Tensor leaky(const torch::Tensor& x) { return torch::leaky_relu(x, 0.1); }

torch::Tensor resize_to(const torch::Tensor& x, const torch::Tensor& like) {
  namespace F = torch::nn::functional;
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{like.size(2), like.size(3)})
                               .mode(torch::kBilinear)
                               .align_corners(false));
}

int64_t half(int64_t n) { return (n + 1) / 2; }

}  // namespace

OffsetEstimatorImpl::OffsetEstimatorImpl(int64_t channels_, int64_t offset_groups_, int64_t kernel_size_,
                                         double max_offset_)
    : channels(channels_), offset_groups(offset_groups_), kernel_size(kernel_size_), max_offset(max_offset_) {
  reset();
}

void OffsetEstimatorImpl::reset() {
  const int64_t taps = kernel_size * kernel_size;
  entry = register_module("entry", same_conv(2 * channels, channels, 3));
  torch::nn::ModuleList down_list, nonlocal_list, merge_list;
  down.clear();
  merge.clear();
  nonlocal.clear();
  for (int64_t level = 0; level < kLevels; ++level) {
    down.push_back(FastConv2d(torch::nn::Conv2dOptions(channels, channels, 3).stride(2).padding(1)));
    nonlocal.push_back(NonLocalBlock(channels));
    merge.push_back(same_conv(2 * channels, channels, 3));
    down_list->push_back(down.back());
    nonlocal_list->push_back(nonlocal.back());
    merge_list->push_back(merge.back());
  }
  register_module("down", down_list);
  register_module("nonlocal", nonlocal_list);
  register_module("merge", merge_list);
  offset_head = register_module("offset_head", same_conv(channels, 2 * offset_groups * taps, 3));
  mask_head = register_module("mask_head", same_conv(channels, offset_groups * taps, 3));
  torch::NoGradGuard no_grad;
  for (auto* head : {&offset_head, &mask_head}) {
    (*head)->weight.zero_();
    (*head)->bias.zero_();
  }
}

OffsetEstimatorImpl::Output OffsetEstimatorImpl::forward(const torch::Tensor& features) {
  // levels[0] is the full grid, levels[l + 1] the l-th stride-2 level after its non-local block.
  std::vector<torch::Tensor> levels{leaky(entry->forward(features))};
  for (int64_t level = 0; level < kLevels; ++level)
    levels.push_back(nonlocal[level]->forward(leaky(down[level]->forward(levels.back()))));
  // Back up the U: merge.0 joins 1/8 into 1/4, merge.1 1/4 into 1/2, merge.2 1/2 into full.
  auto x = levels.back();
  for (int64_t level = 0; level < kLevels; ++level) {
    const auto& partner = levels[kLevels - 1 - level];
    x = leaky(merge[level]->forward(torch::cat({resize_to(x, partner), partner}, 1)));
  }
  const auto offset = torch::tanh(offset_head->forward(x) / max_offset) * max_offset;
  return {offset, torch::sigmoid(mask_head->forward(x))};
}

double OffsetEstimatorImpl::macs(int64_t height, int64_t width) const {
  const int64_t taps = kernel_size * kernel_size;
  double total = conv_macs(2 * channels, channels, 3, height, width);
  int64_t h = height, w = width;
  std::vector<std::pair<int64_t, int64_t>> sizes{{h, w}};
  for (int64_t level = 0; level < kLevels; ++level) {
    h = half(h);
    w = half(w);
    total += conv_macs(channels, channels, 3, h, w) + nonlocal[level]->macs(h, w);
    sizes.emplace_back(h, w);
  }
  for (int64_t level = 0; level < kLevels; ++level) {
    const auto& [mh, mw] = sizes[kLevels - 1 - level];
    total += conv_macs(2 * channels, channels, 3, mh, mw);
  }
  total += conv_macs(channels, 3 * offset_groups * taps, 3, height, width);
  return total;
}

double OffsetEstimatorImpl::largest_attention_elements(int64_t height, int64_t width) {
  return NonLocalBlockImpl::attention_elements(half(height), half(width));
}

}  // namespace restora
