#pragma once
#include <cstdint>

namespace restora {

/// Multiply-adds of a k x k convolution with `in` -> `out` channels in `groups` groups producing
/// an H x W map (PERFORMANCE.md counts 2 FLOP per multiply-add).
inline double conv_macs(int64_t in, int64_t out, int64_t kernel, int64_t height, int64_t width,
                        int64_t groups = 1) {
  return static_cast<double>(in / groups) * static_cast<double>(out) * static_cast<double>(kernel) *
         static_cast<double>(kernel) * static_cast<double>(height) * static_cast<double>(width);
}

}  // namespace restora
