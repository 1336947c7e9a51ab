#pragma once
#include <QImage>
#include <QRect>

#include <cstdint>

namespace at {
class Tensor;
}
namespace restora {
struct Image;
}

namespace restora::ui {

/// The one place in ui/ that knows how restora::Image holds its pixels (core/io). Everything
/// else sees QImages for the screen and shared restora::Image values for the data.

/// For the screen: 8 bits per channel, Format_RGB32 (opaque) or Format_ARGB32_Premultiplied
/// (alpha), the formats Qt's raster engine paints fastest. 16-bit pictures are rounded to 8 bits;
/// gray pictures come out as gray RGB.
QImage toDisplayImage(const restora::Image& image);

/// A finished tile of a job in progress ([1, 3, H, W] float in [0, 1], RGB) for the screen, as
/// toDisplayImage would show it (Format_RGB32; rounded half up as core/io quantises 8-bit output).
QImage rgbTileImage(const at::Tensor& rgb);

/// For the clipboard: full depth (RGBA64 for 16-bit pictures, RGBA8888 / RGB888 for 8-bit).
QImage toFullDepthImage(const restora::Image& image);

/// A picture pasted from the clipboard: 8-bit, or 16-bit when the QImage has 16 bits per channel;
/// alpha kept when the QImage has one. An empty QImage gives an empty Image.
restora::Image fromQImage(const QImage& image);

/// Width and height of the picture, in pixels.
QSize imageSize(const restora::Image& image);

/// Bytes the picture's pixels take in memory (for the history budget).
std::int64_t imageBytes(const restora::Image& image);

/// Whether two pictures hold exactly the same pixels (layout, depth and every value).
bool samePixels(const restora::Image& a, const restora::Image& b);

}  // namespace restora::ui
