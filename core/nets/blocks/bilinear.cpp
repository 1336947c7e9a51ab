#include "nets/blocks/bilinear.h"

#include <cmath>

namespace restora {

torch::Tensor BilinearScaleImpl::forward(const torch::Tensor& x) {
  const auto scaled = [&](int64_t size) {
    return static_cast<int64_t>(std::floor(static_cast<double>(size) * scale));
  };
  return at::upsample_bilinear2d(x, {scaled(x.size(2)), scaled(x.size(3))}, /*align_corners=*/false, scale, scale);
}

}  // namespace restora
