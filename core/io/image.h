#pragma once
#include <torch/types.h>

#include <filesystem>
#include <optional>

namespace restora {

/// A photo as the networks see it plus what must survive the round trip to the output file.
struct Image {
  torch::Tensor rgb;                    ///< [1, 3, H, W] float32 RGB in [0, 1] (gray replicated)
  std::optional<torch::Tensor> alpha;   ///< [1, 1, H, W] float32 in [0, 1], passed through untouched
  int bits = 8;                         ///< 8 or 16: the output keeps the input's depth
  bool grayscale = false;               ///< the file had one colour channel; written back as gray
};

/// Reads an 8- or 16-bit PNG/JPEG/TIFF/WebP/BMP (gray, RGB, RGBA). Throws
/// restora::Error(BadInput) naming the file for anything unreadable or unsupported.
Image read_image(const std::filesystem::path& path);

/// Writes `image` (rgb clamped to [0, 1] and rounded) with its bit depth, alpha and gray/colour
/// layout. The file appears atomically: written beside the target, then renamed over it.
/// Throws restora::Error(Failed) when the file cannot be written.
void write_image(const std::filesystem::path& path, const Image& image);

/// BT.601 luminance of [1, 3, H, W] RGB: [1, 1, H, W].
torch::Tensor to_luminance(const torch::Tensor& rgb);

/// Whether the file name's extension is one we can write (png, jpg/jpeg, tif/tiff, webp, bmp).
bool is_writable_image_format(const std::filesystem::path& path);

/// The bit depth a file of that format can hold for an image of `bits`: 16 stays 16 for PNG and
/// TIFF, and becomes 8 for JPEG, WebP and BMP.
int writable_bits(const std::filesystem::path& path, int bits);

}  // namespace restora
