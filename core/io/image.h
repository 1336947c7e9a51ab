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

/// [1, 3, H, W] float RGB -> cv-free conversion helpers used by tests and the engine.
torch::Tensor to_luminance(const torch::Tensor& rgb);

}  // namespace restora
