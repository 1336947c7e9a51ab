#include "image_edits.h"

#include "io/image.h"

#include <torch/torch.h>

namespace restora::ui {
namespace {

torch::Tensor edit_planes(const torch::Tensor& planes, Edit edit) {
  // Planes are [1, C, H, W]: height is dim 2, width dim 3. rot90 turns from dim 2 towards dim 3,
  // which on screen (y down) is counter-clockwise.
  switch (edit) {
    case Edit::RotateClockwise: return torch::rot90(planes, -1, {2, 3}).contiguous();
    case Edit::RotateCounterClockwise: return torch::rot90(planes, 1, {2, 3}).contiguous();
    case Edit::FlipHorizontal: return planes.flip({3}).contiguous();
    case Edit::FlipVertical: return planes.flip({2}).contiguous();
  }
  return planes;
}

}  // namespace

restora::Image applyEdit(const restora::Image& image, Edit edit) {
  restora::Image result = image;
  result.rgb = edit_planes(image.rgb, edit);
  if (image.alpha) result.alpha = edit_planes(*image.alpha, edit);
  return result;
}

restora::Image cropImage(const restora::Image& image, const QRect& region) {
  const QRect bounds(0, 0, static_cast<int>(image.rgb.size(3)), static_cast<int>(image.rgb.size(2)));
  const QRect kept = region.intersected(bounds);
  restora::Image result = image;
  if (kept.isEmpty()) {
    result.rgb = torch::Tensor();
    result.alpha.reset();
    return result;
  }
  const auto cut = [&](const torch::Tensor& planes) {
    return planes.narrow(2, kept.y(), kept.height()).narrow(3, kept.x(), kept.width()).contiguous();
  };
  result.rgb = cut(image.rgb);
  if (image.alpha) result.alpha = cut(*image.alpha);
  return result;
}

}  // namespace restora::ui
