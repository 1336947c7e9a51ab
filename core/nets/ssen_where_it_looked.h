#pragma once
// "Where it looked": for one output pixel, the positions in the reference that SSEN's three stacked
// deformable layers sampled (the 9^3 points of the paper's Fig. 7), with their modulation weights.
//
// The last layer samples R_2 at 9 positions per offset group around the output pixel's LR cell.
// R_2 at a fractional position is the bilinear blend of its neighbours, so the second layer's
// taps there are taken from its offset and mask fields interpolated bilinearly at that position;
// likewise for the first layer. Each offset group g is followed through its own channels in all
// three layers (the convolutions mix groups, but a group's chain is the path its own offsets
// steer). A point's weight is the product of the three masks along its chain; points outside
// the reference get weight 0 (the convolution samples zeros there).
#include "nets/ssen.h"

#include <torch/types.h>

#include <array>
#include <cstdint>

namespace restora {

struct SamplingTree {
  /// level 0 = the last layer: [G, 9, 2]; level 1: [G, 9, 9, 2]; level 2 = the first layer:
  /// [G, 9, 9, 9, 2] (the 9^3 points). (y, x) in reference pixels (the HR grid).
  std::array<torch::Tensor, 3> positions;
  /// The same shapes without the last axis: the product of the masks along each chain.
  std::array<torch::Tensor, 3> weights;
};

/// The tree of one output pixel (out_y, out_x) of image `batch_index`, from the alignment of an
/// SSEN with scale `scale` (offsets and masks on the LR grid). Throws restora::Error(BadUsage)
/// when the pixel or the batch index lies outside the output.
SamplingTree where_it_looked(const SsenAlignment& alignment, int64_t scale, int64_t out_y, int64_t out_x,
                             int64_t batch_index = 0);

/// Runs the alignment of `network` on lr (+ reference; undefined: self-similarity) without
/// gradients, then where_it_looked for image 0.
SamplingTree where_it_looked(SsenImpl& network, const torch::Tensor& lr, const torch::Tensor& reference,
                             int64_t out_y, int64_t out_x);

}  // namespace restora
