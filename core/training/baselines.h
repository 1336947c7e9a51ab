#pragma once
// Classical denoisers that the evaluation tables quote beside our models, run on the same inputs.
#include <torch/types.h>

#include <cstdint>
#include <string>

namespace restora {

/// OpenCV's fastNlMeansDenoisingColored (7x7 template, 21x21 search window) with filter strength
/// `h` for luminance and colour, in 8-bit levels. `rgb` is [1, 3, H, W] float; it is clipped to
/// [0, 1] and rounded to 8 bits first (the method takes 8-bit images only), as a saved noisy photo
/// would be. Returns [1, 3, H, W] float in [0, 1].
torch::Tensor nlmeans_denoise(const torch::Tensor& rgb, float h);

/// "nlmeans:H" -> H; throws restora::Error(BadUsage) for anything else or an H outside (0, 100].
float parse_nlmeans_baseline(const std::string& spec);

/// "bicubic:S" -> S (2..8): bicubic upscaling as the SR networks' global skip does it
/// (upscale_for_network), the floor an SR model must clear. Throws restora::Error(BadUsage) otherwise.
int64_t parse_bicubic_baseline(const std::string& spec);

}  // namespace restora
