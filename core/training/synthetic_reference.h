#pragma once
#include <ATen/core/Generator.h>
#include <opencv2/core/mat.hpp>

namespace restora {

/// How SSEN's synthetic references differ from the view they guide (docs/SSEN.md): the centre
/// shifted up to kShift px, rescaled kMinScale-kMaxScale, rotated up to kMaxDegrees, then a colour
/// gain and offset per channel. Training (PhotoDataset::sample_reference) and evaluation share them.
struct SyntheticReferenceRanges {
  static constexpr double kShift = 32, kMinScale = 0.8, kMaxScale = 1.25, kMaxDegrees = 5;
  static constexpr double kMinGain = 0.9, kMaxGain = 1.1, kMaxOffset = 0.03;
};

/// Another view of the same scene, `size` pixels, whose centre pixel looks at (cx, cy) of `photo`
/// before the random shift; scale and rotation drawn from `generator`. Borders reflect.
/// `difficulty` in [0, 1] narrows the ranges (shift, angle and log-scale times it): a training
/// curriculum starts near-aligned, where a 3x3 deformable tap can still find the match.
cv::Mat warped_view(const cv::Mat& photo, double cx, double cy, cv::Size size, at::Generator& generator,
                    double difficulty = 1.0);

/// A whole-photo same-scene reference for evaluation: warped_view of the photo about its centre,
/// the photo's size, colour-jittered per channel; 8-bit as the photo (CV_8UC3 or CV_8UC1, any
/// channel order).
cv::Mat same_scene_reference(const cv::Mat& photo, at::Generator& generator);

}  // namespace restora
