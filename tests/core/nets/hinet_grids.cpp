#include "hinet_grids.h"

#include <torch/torch.h>

#include <cmath>

namespace restora::test {
namespace {

int64_t grid_step(int64_t size, int64_t crop_size) {
  const int64_t count = (size - 1) / crop_size + 1;
  if (count == 1) return crop_size;
  return static_cast<int64_t>(std::ceil(static_cast<double>(size - crop_size) / static_cast<double>(count - 1) - 1e-8));
}

/// Tile starts along one axis: advance by step, the last one clamped to size - crop_size.
std::vector<int64_t> grid_starts(int64_t size, int64_t crop_size) {
  std::vector<int64_t> starts;
  const int64_t step = grid_step(size, crop_size);
  for (int64_t start = 0; start < size; start += step) {
    if (start + crop_size >= size) {
      starts.push_back(size - crop_size);
      break;
    }
    starts.push_back(start);
  }
  return starts;
}

}  // namespace

std::vector<std::pair<int64_t, int64_t>> basicsr_grid_positions(int64_t height, int64_t width, int64_t crop_size) {
  std::vector<std::pair<int64_t, int64_t>> positions;
  for (int64_t i : grid_starts(height, crop_size)) {
    for (int64_t j : grid_starts(width, crop_size)) positions.emplace_back(i, j);
  }
  return positions;
}

torch::Tensor basicsr_grids_forward(RestorationNetworkImpl& network, const torch::Tensor& image, int64_t crop_size) {
  const int64_t height = image.size(2), width = image.size(3);
  const auto positions = basicsr_grid_positions(height, width, crop_size);
  std::vector<torch::Tensor> tiles;
  for (const auto& [i, j] : positions) {
    tiles.push_back(image.narrow(2, i, crop_size).narrow(3, j, crop_size));
  }
  const auto outputs = network.forward(torch::cat(tiles, 0));
  auto sum = torch::zeros_like(image);
  auto count = torch::zeros({1, 1, height, width});
  for (size_t t = 0; t < positions.size(); ++t) {
    const auto [i, j] = positions[t];
    sum.narrow(2, i, crop_size).narrow(3, j, crop_size) += outputs[static_cast<int64_t>(t)];
    count.narrow(2, i, crop_size).narrow(3, j, crop_size) += 1.0;
  }
  return sum / count;
}

}  // namespace restora::test
