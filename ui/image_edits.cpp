#include "image_edits.h"

#include "io/image.h"

#include <opencv2/core.hpp>

namespace restora::ui {

restora::Image applyEdit(const restora::Image& image, Edit edit) {
  restora::Image result = image;
  result.pixels = cv::Mat();  // never share rows with the original: it may be in the undo history
  switch (edit) {
    case Edit::RotateClockwise: cv::rotate(image.pixels, result.pixels, cv::ROTATE_90_CLOCKWISE); break;
    case Edit::RotateCounterClockwise: cv::rotate(image.pixels, result.pixels, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    case Edit::FlipHorizontal: cv::flip(image.pixels, result.pixels, 1); break;
    case Edit::FlipVertical: cv::flip(image.pixels, result.pixels, 0); break;
  }
  return result;
}

restora::Image cropImage(const restora::Image& image, const QRect& region) {
  const QRect bounds(0, 0, image.pixels.cols, image.pixels.rows);
  const QRect kept = region.intersected(bounds);
  restora::Image result = image;
  result.pixels = kept.isEmpty() ? cv::Mat()
                                 : image.pixels(cv::Rect(kept.x(), kept.y(), kept.width(), kept.height())).clone();
  return result;
}

}  // namespace restora::ui
