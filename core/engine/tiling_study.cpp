#include "engine/tiling_study.h"

#include "engine/tile_plan.h"
#include "metrics/metrics.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace restora {
namespace {

torch::Tensor restore_with(const JobStage& stage, const torch::Tensor& image, int64_t tile, int64_t overlap) {
  JobInput input;
  // 16 bits: the quantisation (about 107 dB) stays far below the differences measured.
  input.image = image_from_rgb_tensor(image, 16);
  JobOptions options;
  options.tiling.tile = tile;
  options.tiling.overlap = overlap;
  options.tiling.fixed = true;  // a tile the engine shrank would be another tiling than the row's
  options.precision = Precision::fp32;  // the study measures tiling: bf16's own noise stays out
  const JobResult result = run_job(input, {stage}, options);
  if (!result.finished()) {
    const std::string size = std::to_string(image.size(3)) + "x" + std::to_string(image.size(2));
    throw Error(result.error_kind, "tiling-study: " + stage.traits.network + " on " +
                                       (tile == 0 ? "the whole " : std::to_string(tile) + "-px tiles of the ") + size +
                                       " image: " + result.message);
  }
  return rgb_tensor(result.image);
}

/// Mean |difference| per row (dim 2) or column (dim 3); the largest at tile borders over the median.
double border_peak(const torch::Tensor& difference, int dim, const AxisTiles& axis, int64_t scale) {
  const std::vector<int64_t> reduce = dim == 2 ? std::vector<int64_t>{0, 1, 3} : std::vector<int64_t>{0, 1, 2};
  const torch::Tensor means = difference.mean(reduce).contiguous();
  const int64_t n = means.size(0);
  std::vector<float> values(means.data_ptr<float>(), means.data_ptr<float>() + n);
  std::vector<float> sorted = values;
  std::nth_element(sorted.begin(), sorted.begin() + n / 2, sorted.end());
  const double median = std::max(1e-12, static_cast<double>(sorted[static_cast<size_t>(n / 2)]));
  double peak = 0.0;
  for (size_t k = 1; k < axis.count(); ++k) {
    // Both tile edges inside the overlap: the start of tile k and the end of tile k - 1.
    for (const int64_t edge : {axis.starts[k] * scale, axis.end_of(k - 1) * scale - 1}) {
      if (edge < 0 || edge >= n) continue;
      peak = std::max(peak, static_cast<double>(values[static_cast<size_t>(edge)]) / median);
    }
  }
  return peak;
}

/// core/metrics' PSNR capped at 100 dB, so that identical images (+infinity) still average.
double capped_psnr(const torch::Tensor& a, const torch::Tensor& b) { return std::min(100.0, psnr(a, b)); }

}  // namespace

std::vector<TilingStudyRow> study_tiling(const JobStage& stage, const std::vector<torch::Tensor>& clean_images,
                                         double sigma, const std::vector<int64_t>& tiles,
                                         const std::vector<int64_t>& overlaps) {
  std::vector<TilingStudyRow> rows;
  for (const int64_t tile : tiles)
    for (const int64_t overlap : overlaps) rows.push_back({tile, overlap, 0.0, 0.0, 0.0});
  const int64_t multiple = stage.network->size_multiple();
  torch::manual_seed(25);
  for (const auto& clean : clean_images) {
    const torch::Tensor noisy = (clean + torch::randn_like(clean) * (sigma / 255.0)).clamp(0.0, 1.0);
    const torch::Tensor whole = restore_with(stage, noisy, 0, 0);
    const double whole_quality = capped_psnr(whole, clean);
    for (auto& row : rows) {
      const torch::Tensor tiled = restore_with(stage, noisy, row.tile, row.overlap);
      row.psnr_tiled_vs_whole += capped_psnr(tiled, whole) / static_cast<double>(clean_images.size());
      row.quality_change += (capped_psnr(tiled, clean) - whole_quality) / static_cast<double>(clean_images.size());
      const TileGrid grid = plan_tiles(clean.size(2), clean.size(3), row.tile, row.overlap, multiple);
      const torch::Tensor difference = (tiled - whole).abs();
      row.border_peak_ratio = std::max({row.border_peak_ratio, border_peak(difference, 2, grid.rows, 1),
                                        border_peak(difference, 3, grid.columns, 1)});
    }
  }
  return rows;
}

}  // namespace restora
