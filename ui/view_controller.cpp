#include "view_controller.h"

#include <algorithm>
#include <cmath>

namespace restora::ui {
namespace {
constexpr double kZoomStep = 1.25;
}

ViewController::ViewController(QObject* parent) : QObject(parent) {}

void ViewController::setImageSize(QSize size) {
  const bool same = size == image_size_;
  image_size_ = size;
  if (!same) fit_ = true;  // a new picture (or a crop, a rotation) starts fitted
  if (fit_) {
    apply(fitScale(), {}, true);
  } else {
    apply(scale_, offset_, false);
  }
}

void ViewController::setViewSize(QSize size) {
  if (size == view_size_) return;
  // Keep the image point at the centre of the pane where it was.
  const QPointF centre = view_size_.isEmpty() ? QPointF() : mapToImage(QPointF(view_size_.width(), view_size_.height()) / 2);
  view_size_ = size;
  if (fit_ || view_size_.isEmpty()) {
    apply(fitScale(), {}, true);
    return;
  }
  apply(scale_, QPointF(size.width(), size.height()) / 2 - centre * scale_, false);
}

double ViewController::fitScale() const {
  if (image_size_.isEmpty() || view_size_.isEmpty()) return 1.0;
  return std::min({1.0, double(view_size_.width()) / image_size_.width(), double(view_size_.height()) / image_size_.height()});
}

QRectF ViewController::visibleImageRect() const {
  if (image_size_.isEmpty()) return {};
  const QRectF view(mapToImage({0, 0}), mapToImage(QPointF(view_size_.width(), view_size_.height())));
  return view.intersected(QRectF(QPointF(0, 0), QSizeF(image_size_)));
}

QRect ViewController::visiblePixelRect() const {
  const QRectF visible = visibleImageRect();
  if (visible.isEmpty()) return {};
  const QRect outward(QPoint(int(std::floor(visible.left())), int(std::floor(visible.top()))),
                      QPoint(int(std::ceil(visible.right())) - 1, int(std::ceil(visible.bottom())) - 1));
  return outward.intersected(QRect(QPoint(0, 0), image_size_));
}

void ViewController::zoomAbout(double factor, QPointF view_point) { setScaleAbout(scale_ * factor, view_point); }

void ViewController::setScaleAbout(double scale, QPointF view_point) {
  const double lowest = std::min(fitScale(), 1.0) / 4.0;
  const double clamped = std::clamp(scale, lowest, kMaxScale);
  const QPointF anchor = mapToImage(view_point);
  apply(clamped, view_point - anchor * clamped, false);
}

void ViewController::panBy(QPointF view_delta) {
  if (image_size_.isEmpty()) return;
  apply(scale_, offset_ + view_delta, fit_ && view_delta.isNull());
}

void ViewController::zoomIn() { zoomAbout(kZoomStep, QPointF(view_size_.width(), view_size_.height()) / 2); }
void ViewController::zoomOut() { zoomAbout(1.0 / kZoomStep, QPointF(view_size_.width(), view_size_.height()) / 2); }
void ViewController::fitToView() { apply(fitScale(), {}, true); }
void ViewController::actualSize() { setScaleAbout(1.0, QPointF(view_size_.width(), view_size_.height()) / 2); }

void ViewController::apply(double scale, QPointF offset, bool fit) {
  scale_ = scale;
  offset_ = offset;
  fit_ = fit;
  constrain();
  Q_EMIT changed();
}

void ViewController::constrain() {
  // Per axis: an image smaller than the pane is centred; a larger one always covers the pane.
  const auto axis = [](double offset, double view, double scaled) {
    if (scaled <= view) return (view - scaled) / 2.0;
    return std::clamp(offset, view - scaled, 0.0);
  };
  offset_.setX(axis(offset_.x(), view_size_.width(), image_size_.width() * scale_));
  offset_.setY(axis(offset_.y(), view_size_.height(), image_size_.height() * scale_));
}

}  // namespace restora::ui
