#pragma once
#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

namespace restora {

/// Encodes a gray+alpha image (CV_8UC2 or CV_16UC2) as a PNG of colour type 4, which OpenCV's
/// encoder cannot write (it takes 1, 3 or 4 channels). Throws std::runtime_error with libpng's reason.
std::vector<uint8_t> encode_gray_alpha_png(const cv::Mat& gray_alpha);

}  // namespace restora
