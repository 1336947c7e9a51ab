#include "image_convert.h"

#include "io/image.h"

#include <torch/torch.h>

#include <cstring>

namespace restora::ui {
namespace {

/// [1, C, H, W] float in [0, 1] -> [H, W, C] contiguous integers (uint8, or int32 holding 16-bit values).
torch::Tensor interleaved(const torch::Tensor& planes, int bits) {
  const double scale = bits == 16 ? 65535.0 : 255.0;
  auto hwc = planes.squeeze(0).permute({1, 2, 0}).clamp(0.0, 1.0).mul(scale).round();
  return hwc.to(bits == 16 ? torch::kInt32 : torch::kUInt8).contiguous();
}

torch::Tensor planes_with_alpha(const restora::Image& image) {
  if (!image.alpha) return image.rgb;
  return torch::cat({image.rgb, image.alpha->to(image.rgb.device())}, 1);
}

/// Copies [H, W, C] uint8 rows into a QImage of a byte format with C channels.
QImage qimage_from_bytes(const torch::Tensor& hwc, QImage::Format format) {
  const int height = static_cast<int>(hwc.size(0));
  const int width = static_cast<int>(hwc.size(1));
  const int row_bytes = width * static_cast<int>(hwc.size(2));
  QImage result(width, height, format);
  const auto* source = hwc.data_ptr<std::uint8_t>();
  for (int y = 0; y < height; ++y) std::memcpy(result.scanLine(y), source + std::int64_t{y} * row_bytes, row_bytes);
  return result;
}

}  // namespace

QImage toDisplayImage(const restora::Image& image) {
  if (!image.rgb.defined()) return {};
  torch::NoGradGuard no_grad;
  const bool alpha = image.alpha.has_value();
  const torch::Tensor hwc = interleaved(planes_with_alpha(image), 8);
  const QImage bytes = qimage_from_bytes(hwc, alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
  return bytes.convertToFormat(alpha ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32);
}

QImage toFullDepthImage(const restora::Image& image) {
  if (!image.rgb.defined()) return {};
  torch::NoGradGuard no_grad;
  const bool alpha = image.alpha.has_value();
  if (image.bits != 16) {
    const torch::Tensor hwc = interleaved(planes_with_alpha(image), 8);
    return qimage_from_bytes(hwc, alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
  }
  // QImage's 16-bit format always has four channels: opaque alpha when the picture has none.
  torch::Tensor planes = planes_with_alpha(image);
  if (!alpha) planes = torch::cat({planes, torch::ones_like(planes.narrow(1, 0, 1))}, 1);
  const torch::Tensor hwc = interleaved(planes, 16).to(torch::kInt16);  // 0..65535 keeps its bits as int16
  const int height = static_cast<int>(hwc.size(0));
  const int width = static_cast<int>(hwc.size(1));
  QImage result(width, height, alpha ? QImage::Format_RGBA64 : QImage::Format_RGBX64);
  const auto* source = hwc.data_ptr<std::int16_t>();
  for (int y = 0; y < height; ++y)
    std::memcpy(result.scanLine(y), source + std::int64_t{y} * width * 4, std::size_t(width) * 4 * 2);
  return result;
}

restora::Image fromQImage(const QImage& qimage) {
  restora::Image image;
  if (qimage.isNull()) return image;
  const bool deep = qimage.depth() == 64;
  const bool alpha = qimage.hasAlphaChannel();
  const QImage source = qimage.convertToFormat(deep ? QImage::Format_RGBA64 : QImage::Format_RGBA8888);
  const int height = source.height();
  const int width = source.width();
  torch::Tensor hwc;
  if (deep) {
    hwc = torch::empty({height, width, 4}, torch::kInt16);
    for (int y = 0; y < height; ++y)
      std::memcpy(hwc.data_ptr<std::int16_t>() + std::int64_t{y} * width * 4, source.constScanLine(y),
                  std::size_t(width) * 8);
    hwc = hwc.to(torch::kInt32).bitwise_and(0xFFFF);  // int16 -> the unsigned 16-bit value
  } else {
    hwc = torch::empty({height, width, 4}, torch::kUInt8);
    for (int y = 0; y < height; ++y)
      std::memcpy(hwc.data_ptr<std::uint8_t>() + std::int64_t{y} * width * 4, source.constScanLine(y),
                  std::size_t(width) * 4);
  }
  const torch::Tensor planes = hwc.permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat32).div(deep ? 65535.0 : 255.0);
  image.bits = deep ? 16 : 8;
  image.grayscale = qimage.isGrayscale();
  image.rgb = planes.narrow(1, 0, 3).contiguous();
  if (alpha) image.alpha = planes.narrow(1, 3, 1).contiguous();
  return image;
}

QSize imageSize(const restora::Image& image) {
  if (!image.rgb.defined()) return {};
  return {static_cast<int>(image.rgb.size(3)), static_cast<int>(image.rgb.size(2))};
}

std::int64_t imageBytes(const restora::Image& image) {
  std::int64_t bytes = image.rgb.defined() ? image.rgb.nbytes() : 0;
  if (image.alpha) bytes += image.alpha->nbytes();
  return bytes;
}

bool samePixels(const restora::Image& a, const restora::Image& b) {
  if (a.bits != b.bits || a.grayscale != b.grayscale || a.alpha.has_value() != b.alpha.has_value()) return false;
  if (a.rgb.defined() != b.rgb.defined()) return false;
  if (a.rgb.defined() && !torch::equal(a.rgb, b.rgb)) return false;
  return !a.alpha || torch::equal(*a.alpha, *b.alpha);
}

}  // namespace restora::ui
