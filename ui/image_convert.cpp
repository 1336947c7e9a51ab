#include "image_convert.h"

#include "io/image.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cstring>
#include <vector>

namespace restora::ui {
namespace {

/// The picture as R,G,B(,A) at `depth` (CV_8U or CV_16U): gray planes repeated, alpha kept
/// when `keep_alpha`, an opaque alpha added when `force_alpha`.
cv::Mat colour_planes(const restora::Image& image, int depth, bool keep_alpha, bool force_alpha) {
  cv::Mat pixels = image.pixels;
  if (pixels.depth() != depth) {
    cv::Mat converted;
    pixels.convertTo(converted, depth, depth == CV_8U ? 1.0 / 257.0 : 257.0);  // rounds to nearest
    pixels = converted;
  }
  std::vector<cv::Mat> planes;
  cv::split(pixels, planes);
  if (image.grayscale()) planes.insert(planes.begin() + 1, {planes[0], planes[0]});
  const bool alpha = image.has_alpha();
  if (alpha && !keep_alpha) planes.pop_back();
  if (!(alpha && keep_alpha) && force_alpha)
    planes.push_back(cv::Mat(pixels.size(), depth, cv::Scalar(depth == CV_8U ? 255 : 65535)));
  cv::Mat merged;
  cv::merge(planes, merged);
  return merged;
}

/// Copies the rows of an interleaved Mat into a QImage of the matching format.
QImage qimage_from_mat(const cv::Mat& mat, QImage::Format format) {
  QImage result(mat.cols, mat.rows, format);
  const std::size_t row_bytes = std::size_t(mat.cols) * mat.elemSize();
  for (int y = 0; y < mat.rows; ++y) std::memcpy(result.scanLine(y), mat.ptr(y), row_bytes);
  return result;
}

}  // namespace

QImage toDisplayImage(const restora::Image& image) {
  if (image.pixels.empty()) return {};
  const bool alpha = image.has_alpha();
  const QImage bytes = qimage_from_mat(colour_planes(image, CV_8U, true, false),
                                       alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
  return bytes.convertToFormat(alpha ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32);
}

QImage rgbTileImage(const at::Tensor& rgb) {
  if (!rgb.defined() || rgb.dim() != 4 || rgb.size(1) != 3) return {};
  const torch::Tensor bytes =
      rgb[0].clamp(0.0, 1.0).mul(255.0).add(0.5).floor().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
  const int height = int(bytes.size(0));
  const int width = int(bytes.size(1));
  QImage packed(width, height, QImage::Format_RGB888);
  const auto* source = bytes.data_ptr<std::uint8_t>();
  for (int y = 0; y < height; ++y) std::memcpy(packed.scanLine(y), source + std::size_t(y) * width * 3, std::size_t(width) * 3);
  return packed.convertToFormat(QImage::Format_RGB32);
}

QImage toFullDepthImage(const restora::Image& image) {
  if (image.pixels.empty()) return {};
  const bool alpha = image.has_alpha();
  if (image.bits() != 16)
    return qimage_from_mat(colour_planes(image, CV_8U, true, false), alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
  // QImage's 16-bit formats always have four channels: opaque alpha when the picture has none.
  return qimage_from_mat(colour_planes(image, CV_16U, true, true), alpha ? QImage::Format_RGBA64 : QImage::Format_RGBX64);
}

restora::Image fromQImage(const QImage& qimage) {
  restora::Image image;
  if (qimage.isNull()) return image;
  const bool deep = qimage.depth() == 64;
  const bool alpha = qimage.hasAlphaChannel();
  const QImage source = qimage.convertToFormat(deep ? QImage::Format_RGBA64 : QImage::Format_RGBA8888);
  cv::Mat rgba(source.height(), source.width(), deep ? CV_16UC4 : CV_8UC4);
  const std::size_t row_bytes = std::size_t(rgba.cols) * rgba.elemSize();
  for (int y = 0; y < rgba.rows; ++y) std::memcpy(rgba.ptr(y), source.constScanLine(y), row_bytes);
  std::vector<cv::Mat> planes;
  cv::split(rgba, planes);
  std::vector<cv::Mat> kept;
  if (qimage.isGrayscale()) kept = {planes[0]};
  else kept = {planes[0], planes[1], planes[2]};
  if (alpha) kept.push_back(planes[3]);
  cv::merge(kept, image.pixels);
  return image;
}

QSize imageSize(const restora::Image& image) {
  if (image.pixels.empty()) return {};
  return {image.pixels.cols, image.pixels.rows};
}

std::int64_t imageBytes(const restora::Image& image) {
  return static_cast<std::int64_t>(image.pixels.total() * image.pixels.elemSize());
}

bool samePixels(const restora::Image& a, const restora::Image& b) {
  if (a.pixels.empty() || b.pixels.empty()) return a.pixels.empty() == b.pixels.empty();
  if (a.pixels.type() != b.pixels.type() || a.pixels.size() != b.pixels.size()) return false;
  return cv::norm(a.pixels, b.pixels, cv::NORM_INF) == 0.0;
}

}  // namespace restora::ui
