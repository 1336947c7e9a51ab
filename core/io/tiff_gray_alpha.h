#pragma once
#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

namespace restora {

/// Decodes a gray+alpha TIFF (two samples per pixel, 8 or 16 bits, strips or tiles, either
/// planar configuration, any compression libtiff has) into CV_8UC2 / CV_16UC2, gray first.
/// OpenCV 4.6 reads such a file as gray and drops the alpha, hence libtiff directly.
/// Premultiplied (associated) alpha is un-premultiplied and MinIsWhite gray inverted, so the
/// result means what a gray+alpha PNG means. Throws std::runtime_error with libtiff's reason.
cv::Mat decode_gray_alpha_tiff(const std::vector<uint8_t>& bytes);

/// Encodes CV_8UC2 / CV_16UC2 (gray first, straight alpha) as a gray+alpha TIFF (deflate with a
/// horizontal predictor, unassociated alpha), which OpenCV's encoder cannot write (it takes 1, 3 or
/// 4 channels). Throws std::runtime_error with libtiff's reason.
std::vector<uint8_t> encode_gray_alpha_tiff(const cv::Mat& pixels);

/// SamplesPerPixel of the TIFF's first image, read by libtiff from the header alone; 0 if unreadable.
int tiff_samples_per_pixel(const std::vector<uint8_t>& bytes);

}  // namespace restora
