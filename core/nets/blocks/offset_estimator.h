#pragma once
#include "nets/blocks/fast_conv2d.h"
#include "nets/blocks/nonlocal_block.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace restora {

/// SSEN's dynamic offset estimator (ssen.md): from concat(input features, reference features) it
/// predicts the offsets and modulation masks of one deformable layer.
///   entry   3x3 2C -> C, LeakyReLU 0.1                                  (full LR grid)
///   down.l  3x3 stride 2 C -> C, LeakyReLU 0.1, then nonlocal.l          (1/2, 1/4, 1/8)
///   merge.l bilinear up to the next finer level, concat, 3x3 2C -> C, LeakyReLU 0.1 (U-shape)
///   offset_head 3x3 C -> 2*G*k*k, bounded:  max_offset * tanh(raw / max_offset)
///   mask_head   3x3 C -> G*k*k, sigmoid
/// Both heads start at zero: offsets 0 and masks 0.5, i.e. plain (undeformed) sampling. The
/// bound keeps the slope 1 at zero, so offsets are learnt in LR pixels as in an unbounded head.
/// Odd sizes work: a stride-2 level has ceil(n/2) pixels and each merge resizes to its partner.
class OffsetEstimatorImpl : public torch::nn::Cloneable<OffsetEstimatorImpl> {
 public:
  OffsetEstimatorImpl(int64_t channels, int64_t offset_groups, int64_t kernel_size, double max_offset);
  void reset() override;

  struct Output {
    torch::Tensor offset;  ///< [N, 2*G*k*k, H, W], every value in (-max_offset, max_offset)
    torch::Tensor mask;    ///< [N, G*k*k, H, W] in (0, 1)
  };
  /// features [N, 2C, H, W] -> offsets and masks on the same H x W grid.
  Output forward(const torch::Tensor& features);

  /// Multiply-adds on an H x W grid (non-local attention included).
  double macs(int64_t height, int64_t width) const;
  /// Largest attention matrix of one image (the 1/2 level): the quadratic memory term.
  static double largest_attention_elements(int64_t height, int64_t width);

  static constexpr int64_t kLevels = 3;
  int64_t channels;
  int64_t offset_groups;
  int64_t kernel_size;
  double max_offset;
  FastConv2d entry{nullptr};
  std::vector<FastConv2d> down, merge;
  std::vector<NonLocalBlock> nonlocal;
  FastConv2d offset_head{nullptr}, mask_head{nullptr};
};
TORCH_MODULE(OffsetEstimator);

}  // namespace restora
