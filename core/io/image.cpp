#include "io/image.h"

#include "common/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cctype>
#include <random>
#include <system_error>

namespace restora {
namespace {

torch::Tensor mat_to_tensor(const cv::Mat& mat) {
  // [H, W, C] interleaved integers -> [1, C, H, W] float in [0, 1].
  const auto dtype = mat.depth() == CV_16U ? torch::kInt32 : torch::kUInt8;
  cv::Mat source = mat;
  if (mat.depth() == CV_16U) mat.convertTo(source, CV_32S);  // torch has no uint16 type
  const auto hwc = torch::from_blob(source.data, {mat.rows, mat.cols, mat.channels()}, dtype);
  const double scale = mat.depth() == CV_16U ? 65535.0 : 255.0;
  return hwc.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div(scale).contiguous();
}

cv::Mat tensor_to_mat(const torch::Tensor& chw_float, int bits) {
  // [1, C, H, W] float in [0, 1] -> [H, W, C] interleaved integers, rounded half up.
  const double scale = bits == 16 ? 65535.0 : 255.0;
  auto hwc = chw_float.squeeze(0).permute({1, 2, 0}).clamp(0.0, 1.0).mul(scale).round();
  hwc = hwc.to(torch::kCPU).to(bits == 16 ? torch::kInt32 : torch::kUInt8).contiguous();
  const int height = static_cast<int>(hwc.size(0));
  const int width = static_cast<int>(hwc.size(1));
  const int channels = static_cast<int>(hwc.size(2));
  if (bits == 16) {
    cv::Mat wide(height, width, CV_32SC(channels), hwc.data_ptr());
    cv::Mat narrow;
    wide.convertTo(narrow, CV_16U);
    return narrow;
  }
  return cv::Mat(height, width, CV_8UC(channels), hwc.data_ptr()).clone();
}

std::string describe(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

}  // namespace

Image read_image(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    throw Error(ErrorKind::BadInput, describe(path) + ": no such file");
  cv::Mat mat;
  try {
    mat = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    throw Error(ErrorKind::BadInput, describe(path) + ": cannot decode the image (" + e.err + ")");
  }
  if (mat.empty()) throw Error(ErrorKind::BadInput, describe(path) + ": not a readable image (corrupt, truncated or unsupported format)");
  if (mat.depth() != CV_8U && mat.depth() != CV_16U)
    throw Error(ErrorKind::BadInput, describe(path) + ": unsupported sample format (only 8- and 16-bit integer images)");
  const int channels = mat.channels();
  if (channels != 1 && channels != 3 && channels != 4)
    throw Error(ErrorKind::BadInput, describe(path) + ": unsupported channel count " + std::to_string(channels));

  Image image;
  image.bits = mat.depth() == CV_16U ? 16 : 8;
  image.grayscale = channels == 1;
  cv::Mat rgb;
  if (channels == 1) {
    cv::cvtColor(mat, rgb, cv::COLOR_GRAY2RGB);
  } else if (channels == 3) {
    cv::cvtColor(mat, rgb, cv::COLOR_BGR2RGB);
  } else {
    cv::cvtColor(mat, rgb, cv::COLOR_BGRA2RGB);
    cv::Mat alpha;
    cv::extractChannel(mat, alpha, 3);
    image.alpha = mat_to_tensor(alpha);
  }
  image.rgb = mat_to_tensor(rgb);
  return image;
}

torch::Tensor to_luminance(const torch::Tensor& rgb) {
  // ITU-R BT.601 weights, as OpenCV's RGB2GRAY.
  return (rgb.select(1, 0) * 0.299 + rgb.select(1, 1) * 0.587 + rgb.select(1, 2) * 0.114).unsqueeze(1);
}

namespace {
std::string lower_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}
}  // namespace

bool is_writable_image_format(const std::filesystem::path& path) {
  const std::string extension = lower_extension(path);
  for (const char* known : {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp"})
    if (extension == known) return true;
  return false;
}

int writable_bits(const std::filesystem::path& path, int bits) {
  const std::string extension = lower_extension(path);
  const bool deep = extension == ".png" || extension == ".tif" || extension == ".tiff";
  return deep ? bits : 8;
}

void write_image(const std::filesystem::path& path, const Image& image) {
  if (!is_writable_image_format(path))
    throw Error(ErrorKind::BadUsage, describe(path) + ": unsupported output format (use .png, .jpg, .tif, .webp or .bmp)");
  if (image.rgb.dim() != 4 || image.rgb.size(0) != 1 || image.rgb.size(1) != 3)
    throw Error(ErrorKind::Failed, describe(path) + ": internal error: image tensor is not [1, 3, H, W]");
  torch::Tensor planes = image.grayscale ? to_luminance(image.rgb) : image.rgb.flip(1);  // RGB -> BGR
  if (image.alpha) planes = torch::cat({planes, image.alpha->to(planes.device())}, 1);
  cv::Mat mat = tensor_to_mat(planes, writable_bits(path, image.bits));

  const auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::random_device random;
  const auto temporary = directory / ("." + path.stem().string() + ".restora-" + std::to_string(random()) +
                                      path.extension().string());
  bool written = false;
  try {
    written = cv::imwrite(temporary.string(), mat);
  } catch (const cv::Exception& e) {
    std::filesystem::remove(temporary);
    throw Error(ErrorKind::Failed, describe(path) + ": cannot write the image (" + e.err + ")");
  }
  if (!written) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error(ErrorKind::Failed, describe(path) + ": cannot write the image (unwritable folder, full disk or "
                                                    "unsupported extension)");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw Error(ErrorKind::Failed, describe(path) + ": cannot replace the file: " + error.message());
  }
}

}  // namespace restora
