#pragma once
#include <torch/types.h>

#include <cstdint>

namespace restora {

/// The smallest multiple of `multiple` that is >= `size`.
int64_t round_up_to_multiple(int64_t size, int64_t multiple);

/// Reflect-pads the right and bottom of [N, C, H, W] so that H and W become multiples of
/// `multiple`, as the official MPRNet/MIRNet-v2 test scripts do (reflection excludes the edge
/// pixel). Sizes too small for one reflection (pad >= size) fall back to replicating the edge.
torch::Tensor pad_to_multiple(const torch::Tensor& image, int64_t multiple);

/// Crops [N, C, H', W'] back to its top-left H x W.
torch::Tensor crop_to(const torch::Tensor& image, int64_t height, int64_t width);

}  // namespace restora
