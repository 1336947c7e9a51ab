#include "io/image.h"

#include "common/error.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

namespace restora {
namespace {

double full_scale(const cv::Mat& pixels) { return pixels.depth() == CV_16U ? 65535.0 : 255.0; }

void check_region(const Image& image, const cv::Rect& region) {
  if (region.width <= 0 || region.height <= 0 || (region & image.bounds()) != region)
    throw Error(ErrorKind::Failed, "internal error: region " + std::to_string(region.width) + "x" +
                                       std::to_string(region.height) + " at (" + std::to_string(region.x) + ", " +
                                       std::to_string(region.y) + ") is not inside the image");
}

/// One channel-selected float copy of a region: [h, w, k] interleaved floats in [0, 1].
cv::Mat channels_as_float(const cv::Mat& region, std::initializer_list<int> channels) {
  std::vector<int> from_to;
  int destination = 0;
  for (int channel : channels) {
    from_to.push_back(channel);
    from_to.push_back(destination++);
  }
  cv::Mat picked(region.rows, region.cols, CV_MAKETYPE(region.depth(), destination));
  cv::mixChannels(&region, 1, &picked, 1, from_to.data(), from_to.size() / 2);
  cv::Mat floats;
  picked.convertTo(floats, CV_32F, 1.0 / full_scale(region));
  return floats;
}

/// [h, w, k] float Mat -> [1, k, h, w] tensor owning its memory.
torch::Tensor hwc_to_tensor(const cv::Mat& floats) {
  const auto hwc = torch::from_blob(floats.data, {floats.rows, floats.cols, floats.channels()}, torch::kFloat32);
  return hwc.permute({2, 0, 1}).unsqueeze(0).contiguous();
}

/// [1, k, h, w] float -> [h, w, k] Mat of the target depth: clamped, scaled, rounded half up.
cv::Mat tensor_to_samples(const torch::Tensor& planes, int depth) {
  const double scale = depth == CV_16U ? 65535.0 : 255.0;
  const auto hwc = planes.detach()
                       .to(torch::kCPU, torch::kFloat32)
                       .squeeze(0)
                       .permute({1, 2, 0})
                       .clamp(0.0, 1.0)
                       .mul(scale)
                       .add(0.5)
                       .floor()
                       .contiguous();
  const cv::Mat wrapped(static_cast<int>(hwc.size(0)), static_cast<int>(hwc.size(1)),
                        CV_32FC(static_cast<int>(hwc.size(2))), hwc.data_ptr());
  cv::Mat samples;
  wrapped.convertTo(samples, depth);  // exact: the values are already whole numbers in range
  return samples;
}

void check_planes(const torch::Tensor& planes, int64_t channels, const cv::Rect& region, const char* what) {
  if (planes.dim() != 4 || planes.size(0) != 1 || planes.size(1) != channels || planes.size(2) != region.height ||
      planes.size(3) != region.width)
    throw Error(ErrorKind::Failed, std::string("internal error: ") + what + " tensor does not match its region");
}

/// Writes the channels of `samples` into `channels` of `target` (a region view).
void put_channels(const cv::Mat& samples, cv::Mat target, std::initializer_list<int> channels) {
  std::vector<int> from_to;
  int source = 0;
  for (int channel : channels) {
    from_to.push_back(source++);
    from_to.push_back(channel);
  }
  cv::mixChannels(&samples, 1, &target, 1, from_to.data(), from_to.size() / 2);
}

}  // namespace

torch::Tensor rgb_tensor(const Image& image, const cv::Rect& region) {
  check_region(image, region);
  const cv::Mat view = image.pixels(region);
  if (image.grayscale()) return hwc_to_tensor(channels_as_float(view, {0})).expand({1, 3, region.height, region.width}).contiguous();
  return hwc_to_tensor(channels_as_float(view, {0, 1, 2}));
}

torch::Tensor rgb_tensor(const Image& image) { return rgb_tensor(image, image.bounds()); }

torch::Tensor alpha_tensor(const Image& image, const cv::Rect& region) {
  check_region(image, region);
  if (!image.has_alpha()) return torch::ones({1, 1, region.height, region.width});
  return hwc_to_tensor(channels_as_float(image.pixels(region), {image.pixels.channels() - 1}));
}

void store_rgb(Image& image, const cv::Rect& region, const torch::Tensor& rgb) {
  check_region(image, region);
  check_planes(rgb, 3, region, "RGB");
  if (image.grayscale())
    put_channels(tensor_to_samples(to_luminance(rgb.to(torch::kFloat32)), image.pixels.depth()), image.pixels(region), {0});
  else
    put_channels(tensor_to_samples(rgb, image.pixels.depth()), image.pixels(region), {0, 1, 2});
}

void store_alpha(Image& image, const cv::Rect& region, const torch::Tensor& alpha) {
  check_region(image, region);
  check_planes(alpha, 1, region, "alpha");
  if (!image.has_alpha()) throw Error(ErrorKind::Failed, "internal error: storing alpha into an image without alpha");
  put_channels(tensor_to_samples(alpha, image.pixels.depth()), image.pixels(region), {image.pixels.channels() - 1});
}

Image make_output_like(const Image& input, int64_t width, int64_t height) {
  Image output;
  output.metadata = input.metadata;
  output.pixels = cv::Mat::zeros(static_cast<int>(height), static_cast<int>(width), input.pixels.type());
  if (input.has_alpha()) {
    const int alpha_channel = input.pixels.channels() - 1;
    cv::Mat alpha;
    cv::extractChannel(input.pixels, alpha, alpha_channel);
    if (alpha.size() != output.pixels.size()) cv::resize(alpha, alpha, output.pixels.size(), 0, 0, cv::INTER_LINEAR);
    cv::insertChannel(alpha, output.pixels, alpha_channel);
  }
  return output;
}

Image image_from_rgb_tensor(const torch::Tensor& rgb, int bits) {
  if (rgb.dim() != 4 || rgb.size(0) != 1 || rgb.size(1) != 3)
    throw Error(ErrorKind::Failed, "internal error: an image tensor must be [1, 3, H, W]");
  Image image;
  image.pixels = tensor_to_samples(rgb, bits == 16 ? CV_16U : CV_8U);
  return image;
}

torch::Tensor to_luminance(const torch::Tensor& rgb) {
  // ITU-R BT.601 weights, as OpenCV's RGB2GRAY.
  return (rgb.select(1, 0) * 0.299 + rgb.select(1, 1) * 0.587 + rgb.select(1, 2) * 0.114).unsqueeze(1);
}

}  // namespace restora
