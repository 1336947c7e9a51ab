#pragma once
#include <ATen/core/Generator.h>
#include <opencv2/core/mat.hpp>
#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace restora {

/// How clean training photos are found and prepared.
struct PhotoDatasetOptions {
  std::vector<std::filesystem::path> folders;  ///< searched recursively for PNG/JPEG/BMP/TIFF/WebP
  int64_t channels = 3;                        ///< 3: colour (gray files replicated), 1: gray
  /// Photos whose longer side exceeds this are shrunk with an area filter by an integer factor
  /// ceil(long side / max_side), at most 4: every colour training photo is a JPEG, and the
  /// downscale averages its compression artefacts and sensor noise away (clean targets).
  int64_t max_side = 1000;
  /// A random crop whose gray standard deviation is below this (on [0, 1]) is drawn again, up to
  /// 10 times: flat sky and defocused areas teach little.
  double min_patch_std = 0.02;
};

/// Where sample_patch cut its patch, so that SSEN's synthetic reference can be cut near it.
struct PatchPlace {
  int top = 0;
  int left = 0;
  int symmetry = 0;  ///< which of the 8 flips/rotations
};

/// Clean photos held in memory as 8-bit images, from which random patches are cut.
/// Thread-compatible: sampling only reads, so one dataset may feed one loader thread.
class PhotoDataset {
 public:
  /// Reads every photo. Throws restora::Error(BadInput) naming the folder or file when a folder
  /// is missing or holds no photo, or a photo cannot be decoded.
  explicit PhotoDataset(PhotoDatasetOptions options);

  size_t size() const { return photos_.size(); }
  int64_t channels() const { return options_.channels; }
  const std::vector<std::filesystem::path>& files() const { return files_; }
  /// Pixels held, over all photos (for the log).
  int64_t total_pixels() const;

  /// A [C, P, P] float32 patch in [0, 1] of photo `index` at a random place, texture permitting,
  /// in one of the 8 flips/rotations: all randomness from `generator`. Photos smaller than the
  /// patch are refused by the constructor's caller check (smallest_side()).
  torch::Tensor sample_patch(size_t index, int64_t patch, at::Generator& generator, PatchPlace* place = nullptr) const;

  /// A synthetic reference [C, P, P] for the patch at `place` of photo `index` (SSEN's training,
  /// docs/SSEN.md): with probability 0.2 a random crop of photo `unrelated`; otherwise another crop
  /// of the same photo, its centre shifted up to 32 px, rescaled 0.8-1.25 and rotated up to 5
  /// degrees, in the patch's orientation. Either way colour-jittered: gain 0.9-1.1 and offset
  /// -0.03-0.03 per channel.
  /// `difficulty` < 1 narrows the same-scene transform (warped_view).
  torch::Tensor sample_reference(size_t index, const PatchPlace& place, int64_t patch, size_t unrelated,
                                 at::Generator& generator, double difficulty = 1.0) const;

  /// The shortest side over all photos: patches may be at most this large.
  int64_t smallest_side() const;

 private:
  PhotoDatasetOptions options_;
  std::vector<std::filesystem::path> files_;
  std::vector<cv::Mat> photos_;  ///< CV_8UC3 RGB or CV_8UC1
};

/// A uniform integer in [0, bound) from a CPU generator (under its lock).
uint64_t random_below(at::Generator& generator, uint64_t bound);

}  // namespace restora
