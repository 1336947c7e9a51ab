#pragma once
// basicsr's ImageRestorationModel grids()/test()/grids_inverse(), as the HINet GoPro, REDS and
// Rain13k test ymls run it (val.grids: true): reproduced here only to check HINet against
// restored2.f32 of the conformance grids cases.
#include "nets/restoration_network.h"

#include <torch/types.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace restora::test {

/// Top-left (i, j) of every crop_size x crop_size tile, rows outer, as basicsr's grids() makes
/// them: num_row = (h-1)//c + 1, step = ceil((h-c)/(num_row-1) - 1e-8) (c when one row), and the
/// last row/column moved to start at h-c / w-c.
std::vector<std::pair<int64_t, int64_t>> basicsr_grid_positions(int64_t height, int64_t width, int64_t crop_size);

/// [1, C, H, W] -> [1, C, H, W]: every tile through the network as ONE batch, only the final stage
/// kept, overlapping outputs averaged (sum / count).
torch::Tensor basicsr_grids_forward(RestorationNetworkImpl& network, const torch::Tensor& image, int64_t crop_size);

}  // namespace restora::test
