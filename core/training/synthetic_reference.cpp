#include "training/synthetic_reference.h"

#include "training/degradation.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace restora {

using R = SyntheticReferenceRanges;

cv::Mat warped_view(const cv::Mat& photo, double cx, double cy, cv::Size size, at::Generator& generator,
                    double difficulty) {
  const double d = std::clamp(difficulty, 0.0, 1.0);
  cx += uniform(generator, -R::kShift, R::kShift) * d;
  cy += uniform(generator, -R::kShift, R::kShift) * d;
  const double scale = std::exp(std::log(uniform(generator, R::kMinScale, R::kMaxScale)) * d);
  const double angle = uniform(generator, -R::kMaxDegrees, R::kMaxDegrees) * d * CV_PI / 180.0;
  const double c = std::cos(angle) * scale, s = std::sin(angle) * scale;
  const double hx = size.width / 2.0, hy = size.height / 2.0;
  // Output pixel (u, v) samples the photo at centre + scale * R(angle) * (u - hx, v - hy).
  const cv::Mat to_photo = (cv::Mat_<double>(2, 3) << c, -s, cx - c * hx + s * hy, s, c, cy - s * hx - c * hy);
  cv::Mat view;
  cv::warpAffine(photo, view, to_photo, size, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REFLECT_101);
  return view;
}

cv::Mat same_scene_reference(const cv::Mat& photo, at::Generator& generator) {
  const cv::Mat view = warped_view(photo, photo.cols / 2.0, photo.rows / 2.0, photo.size(), generator);
  std::vector<cv::Mat> planes;
  cv::split(view, planes);
  for (auto& plane : planes) {
    const double gain = uniform(generator, R::kMinGain, R::kMaxGain);
    const double offset = uniform(generator, -R::kMaxOffset, R::kMaxOffset) * 255.0;
    plane.convertTo(plane, plane.type(), gain, offset);  // saturates to 0-255, as the clamp in training
  }
  cv::Mat out;
  cv::merge(planes, out);
  return out;
}

}  // namespace restora
