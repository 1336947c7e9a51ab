#pragma once
// The measurement behind docs/TILING.md: how far tiled output is from whole-image output for a
// network with image-wide operations, on noisy photos, per tile size and overlap.
#include "engine/job.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace restora {

struct TilingStudyRow {
  int64_t tile = 0;
  int64_t overlap = 0;
  double psnr_tiled_vs_whole = 0.0;  ///< dB, mean over the images
  double quality_change = 0.0;       ///< PSNR(tiled, clean) - PSNR(whole, clean), dB, mean
  /// Largest row/column mean of |tiled - whole| at a tile border over the median row/column mean:
  /// about 1 when no grid shows.
  double border_peak_ratio = 0.0;
};

/// For every clean image: adds Gaussian noise of `sigma` (in 8-bit levels, fixed seed), restores it
/// whole and with every tile x overlap, and compares. Throws restora::Error when a job fails.
std::vector<TilingStudyRow> study_tiling(const JobStage& stage, const std::vector<torch::Tensor>& clean_images,
                                         double sigma, const std::vector<int64_t>& tiles,
                                         const std::vector<int64_t>& overlaps);

}  // namespace restora
