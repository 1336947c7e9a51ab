#pragma once
#include <torch/types.h>

#include <cstdint>

namespace restora {

/// MATLAB's imresize(x, 1/factor, 'bicubic') with its antialiasing, as the SR benchmarks' LR
/// images were made: Keys cubic (a = -0.5) stretched by the factor, weights normalised per output
/// pixel, symmetric (mirror) borders, rows first, then columns. [N, C, H, W] float ->
/// [N, C, ceil(H/factor), ceil(W/factor)], computed in float64 and returned in the input's dtype.
/// `as_uint8`: the input is on the 0-255 scale and, as MATLAB does for uint8 images, each pass is
/// rounded and clamped to 0-255 (this reproduces the interiors of the Set5/Set14 LR files to
/// 99%+ of pixels exactly, the rest within 1-2); otherwise nothing is rounded or clamped.
torch::Tensor matlab_bicubic_downscale(const torch::Tensor& image, int64_t factor, bool as_uint8 = false);

/// The [out_size, in_size] matrix of that resampling along one axis (for tests and reuse).
torch::Tensor matlab_bicubic_weights(int64_t in_size, int64_t out_size, double scale);

}  // namespace restora
