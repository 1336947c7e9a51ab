#include "nets/size_rule.h"

#include <torch/nn/functional/padding.h>

namespace restora {

int64_t round_up_to_multiple(int64_t size, int64_t multiple) {
  if (multiple <= 1) return size;
  return ((size + multiple - 1) / multiple) * multiple;
}

torch::Tensor pad_to_multiple(const torch::Tensor& image, int64_t multiple) {
  const int64_t height = image.size(-2);
  const int64_t width = image.size(-1);
  const int64_t pad_h = round_up_to_multiple(height, multiple) - height;
  const int64_t pad_w = round_up_to_multiple(width, multiple) - width;
  if (pad_h == 0 && pad_w == 0) return image;
  namespace F = torch::nn::functional;
  // Reflection needs pad < size; tiny images (a few pixels) replicate instead.
  const bool can_reflect = pad_h < height && pad_w < width;
  auto options = F::PadFuncOptions({0, pad_w, 0, pad_h});
  if (can_reflect)
    options.mode(torch::kReflect);
  else
    options.mode(torch::kReplicate);
  return F::pad(image, options);
}

torch::Tensor crop_to(const torch::Tensor& image, int64_t height, int64_t width) {
  return image.slice(-2, 0, height).slice(-1, 0, width);
}

}  // namespace restora
