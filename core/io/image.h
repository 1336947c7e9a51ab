#pragma once
#include "io/metadata.h"

#include <opencv2/core/mat.hpp>
#include <torch/types.h>

#include <cstdint>

namespace restora {

/// A decoded photo at the file's own bit depth (the full image is never held as float: the
/// engine converts one region at a time with rgb_tensor/store_rgb).
struct Image {
  /// H x W, CV_8U or CV_16U; 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) channels, in the
  /// order R,G,B(,A) -- not OpenCV's BGR. EXIF orientation is already applied.
  cv::Mat pixels;
  /// EXIF/XMP/IPTC/ICC carried to the output file.
  Metadata metadata;

  int bits() const { return pixels.depth() == CV_16U ? 16 : 8; }
  bool grayscale() const { return pixels.channels() <= 2; }
  bool has_alpha() const { return pixels.channels() == 2 || pixels.channels() == 4; }
  int64_t width() const { return pixels.cols; }
  int64_t height() const { return pixels.rows; }
  /// The whole image as a region.
  cv::Rect bounds() const { return {0, 0, pixels.cols, pixels.rows}; }
};

/// Region -> network input: [1, 3, h, w] float32 in [0, 1] on the CPU, gray replicated to three
/// planes. `region` must lie inside the image (Error(Failed) otherwise).
torch::Tensor rgb_tensor(const Image& image, const cv::Rect& region);
/// The whole image (GUI, tests, small images).
torch::Tensor rgb_tensor(const Image& image);
/// The alpha plane of a region: [1, 1, h, w] float32 in [0, 1]; all ones without alpha.
torch::Tensor alpha_tensor(const Image& image, const cv::Rect& region);

/// Network output -> pixels: `rgb` [1, 3, h, w] float (any device) is clamped to [0, 1], scaled
/// to the image's depth, rounded half up and written into `region`. A gray image receives the
/// BT.601 luminance (0.299 R + 0.587 G + 0.114 B) of the result. Alpha is left untouched.
void store_rgb(Image& image, const cv::Rect& region, const torch::Tensor& rgb);
/// [1, 1, h, w] float -> the alpha channel of `region` (same rounding); Error(Failed) without alpha.
void store_alpha(Image& image, const cv::Rect& region, const torch::Tensor& alpha);

/// An output image of width x height with the input's channel layout, depth and metadata; its
/// colour planes are zero and its alpha is the input's alpha (bilinear-resized when the size
/// differs, as for SR), so a restorer only has to store the colour planes.
Image make_output_like(const Image& input, int64_t width, int64_t height);

/// [1, 3, H, W] float in [0, 1] -> an RGB image of `bits` (8 or 16) without metadata (tests, GUI).
Image image_from_rgb_tensor(const torch::Tensor& rgb, int bits);

/// BT.601 luminance of [N, 3, H, W] RGB: [N, 1, H, W].
torch::Tensor to_luminance(const torch::Tensor& rgb);

}  // namespace restora
