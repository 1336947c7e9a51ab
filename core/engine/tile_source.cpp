#include "engine/tile_source.h"

#include "engine/tile_plan.h"

#include <torch/torch.h>

#include <algorithm>
#include <vector>

namespace restora {
namespace {

/// source_index() of every coordinate of [first, first + length), and the span they fall in.
struct Indices {
  std::vector<int64_t> index;
  int64_t low = 0;
  int64_t high = 0;  // exclusive
};

Indices indices(int64_t first, int64_t length, int64_t image_size, bool reflect_end) {
  Indices result;
  result.index.reserve(static_cast<size_t>(length));
  for (int64_t x = first; x < first + length; ++x) result.index.push_back(source_index(x, image_size, reflect_end));
  result.low = *std::min_element(result.index.begin(), result.index.end());
  result.high = *std::max_element(result.index.begin(), result.index.end()) + 1;
  return result;
}

/// index - low, as a tensor for index_select.
torch::Tensor relative(const Indices& indices) {
  auto tensor = torch::tensor(indices.index, torch::kLong);
  return tensor - indices.low;
}

}  // namespace

torch::Tensor TileSource::read(const PixelRect& rect, bool reflect_end) const {
  if (rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= width() && rect.y + rect.height <= height())
    return read_inside(rect);
  const Indices rows = indices(rect.y, rect.height, height(), reflect_end);
  const Indices columns = indices(rect.x, rect.width, width(), reflect_end);
  const torch::Tensor inside =
      read_inside({columns.low, rows.low, columns.high - columns.low, rows.high - rows.low});
  return inside.index_select(2, relative(rows)).index_select(3, relative(columns));
}

TensorSource::TensorSource(torch::Tensor pixels) : pixels_(std::move(pixels)) {
  TORCH_CHECK(pixels_.dim() == 4 && pixels_.size(0) == 1, "TensorSource wants [1, C, H, W]");
}

torch::Tensor TensorSource::read_inside(const PixelRect& rect) const {
  return pixels_.slice(2, rect.y, rect.y + rect.height).slice(3, rect.x, rect.x + rect.width).to(torch::kFloat);
}

ConcatSource::ConcatSource(std::shared_ptr<const TileSource> first, std::shared_ptr<const TileSource> second)
    : first_(std::move(first)), second_(std::move(second)) {
  TORCH_CHECK(first_->height() == second_->height() && first_->width() == second_->width(),
              "ConcatSource: sizes differ");
}

torch::Tensor ConcatSource::read_inside(const PixelRect& rect) const {
  return torch::cat({first_->read_inside(rect), second_->read_inside(rect)}, 1);
}

BicubicSource::BicubicSource(std::shared_ptr<const TileSource> low, int64_t scale)
    : low_(std::move(low)), scale_(scale) {}

torch::Tensor BicubicSource::read_inside(const PixelRect& rect) const {
  // Output pixel X samples low-resolution coordinate (X + 0.5) / s - 0.5 with taps floor - 1 ..
  // floor + 2; two low pixels of context each side cover them, and at the image's own borders the
  // interpolation's clamping is the whole image's.
  const int64_t low_x = std::max<int64_t>(0, rect.x / scale_ - 2);
  const int64_t low_y = std::max<int64_t>(0, rect.y / scale_ - 2);
  const int64_t low_right = std::min(low_->width(), (rect.x + rect.width + scale_ - 1) / scale_ + 2);
  const int64_t low_bottom = std::min(low_->height(), (rect.y + rect.height + scale_ - 1) / scale_ + 2);
  const torch::Tensor low = low_->read_inside({low_x, low_y, low_right - low_x, low_bottom - low_y});
  namespace F = torch::nn::functional;
  const torch::Tensor up =
      F::interpolate(low, F::InterpolateFuncOptions()
                              .size(std::vector<int64_t>{low.size(2) * scale_, low.size(3) * scale_})
                              .mode(torch::kBicubic)
                              .align_corners(false));
  return up.slice(2, rect.y - low_y * scale_, rect.y - low_y * scale_ + rect.height)
      .slice(3, rect.x - low_x * scale_, rect.x - low_x * scale_ + rect.width)
      .clamp(0.0, 1.0);
}

namespace {
cv::Rect to_cv(const PixelRect& rect) {
  return {static_cast<int>(rect.x), static_cast<int>(rect.y), static_cast<int>(rect.width), static_cast<int>(rect.height)};
}
}  // namespace

torch::Tensor ImageSource::read_inside(const PixelRect& rect) const { return rgb_tensor(image_, to_cv(rect)); }

void ImageSink::write(const PixelRect& rect, const torch::Tensor& rgb) { store_rgb(image_, to_cv(rect), rgb); }

TensorSink::TensorSink(int64_t height, int64_t width) : pixels_(torch::zeros({1, 3, height, width})) {}

void TensorSink::write(const PixelRect& rect, const torch::Tensor& rgb) {
  pixels_.slice(2, rect.y, rect.y + rect.height).slice(3, rect.x, rect.x + rect.width).copy_(rgb);
}

}  // namespace restora
