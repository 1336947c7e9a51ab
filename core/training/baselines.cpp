#include "training/baselines.h"

#include "common/error.h"

#include <opencv2/core.hpp>
#include <opencv2/photo.hpp>
#include <torch/torch.h>

namespace restora {

torch::Tensor nlmeans_denoise(const torch::Tensor& rgb, float h) {
  TORCH_CHECK(rgb.dim() == 4 && rgb.size(0) == 1 && rgb.size(1) == 3, "nlmeans_denoise: [1, 3, H, W] expected");
  const int64_t height = rgb.size(2);
  const int64_t width = rgb.size(3);
  // [H, W, 3] uint8 in BGR order, as OpenCV expects.
  torch::Tensor hwc = (rgb[0].flip(0).permute({1, 2, 0}).clamp(0, 1) * 255).round().to(torch::kUInt8).contiguous();
  const cv::Mat noisy(static_cast<int>(height), static_cast<int>(width), CV_8UC3, hwc.data_ptr<uint8_t>());
  cv::Mat denoised;
  cv::fastNlMeansDenoisingColored(noisy, denoised, h, h, 7, 21);
  const torch::Tensor out = torch::from_blob(denoised.data, {height, width, 3}, torch::kUInt8).clone();
  return out.permute({2, 0, 1}).flip(0).unsqueeze(0).to(torch::kFloat32).div(255).contiguous();
}

float parse_nlmeans_baseline(const std::string& spec) {
  const std::string prefix = "nlmeans:";
  float h = 0;
  try {
    if (spec.rfind(prefix, 0) != 0) throw std::invalid_argument(spec);
    size_t used = 0;
    h = std::stof(spec.substr(prefix.size()), &used);
    if (used != spec.size() - prefix.size()) throw std::invalid_argument(spec);
  } catch (const std::exception&) {
    throw Error(ErrorKind::BadUsage, "--baseline '" + spec + "': expected nlmeans:H, e.g. nlmeans:10");
  }
  if (!(h > 0 && h <= 100)) throw Error(ErrorKind::BadUsage, "--baseline '" + spec + "': H must be in (0, 100]");
  return h;
}

int64_t parse_bicubic_baseline(const std::string& spec) {
  const std::string prefix = "bicubic:";
  const std::string value = spec.rfind(prefix, 0) == 0 ? spec.substr(prefix.size()) : "";
  if (value.size() != 1 || value[0] < '2' || value[0] > '8')
    throw Error(ErrorKind::BadUsage, "--baseline '" + spec + "': expected bicubic:S with S in 2..8, e.g. bicubic:4");
  return value[0] - '0';
}

}  // namespace restora
