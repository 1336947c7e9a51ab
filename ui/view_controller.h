#pragma once
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QSize>

namespace restora::ui {

/// The one zoom and pan state of the compare view. Every pane paints through it and sends its
/// wheel and drag input to it, so panes never talk to each other and always show the same part
/// of the image (the Gwenview compare mode's single synchronising controller).
///
/// Coordinates: view = offset + image * scale. Zooming about a view point p keeps the image point
/// under p fixed: image = (p - offset) / scale before, so offset' = p - image * scale'.
class ViewController : public QObject {
  Q_OBJECT

 public:
  explicit ViewController(QObject* parent = nullptr);

  /// The size of the image all panes show (the after picture's size).
  void setImageSize(QSize size);
  /// The size of a pane; panes of one view are the same size.
  void setViewSize(QSize size);
  QSize imageSize() const { return image_size_; }
  QSize viewSize() const { return view_size_; }

  double scale() const { return scale_; }
  QPointF offset() const { return offset_; }
  bool fitsView() const { return fit_; }

  QPointF mapToImage(QPointF view_point) const { return (view_point - offset_) / scale_; }
  QPointF mapToView(QPointF image_point) const { return offset_ + image_point * scale_; }
  /// The part of the image inside the pane, in image pixels (empty without an image).
  QRectF visibleImageRect() const;
  /// The same rounded outwards to whole pixels and clipped to the image.
  QRect visiblePixelRect() const;

  void zoomAbout(double factor, QPointF view_point);
  void setScaleAbout(double scale, QPointF view_point);
  void panBy(QPointF view_delta);
  void zoomIn();
  void zoomOut();
  void fitToView();
  void actualSize();

  double fitScale() const;
  static constexpr double kMaxScale = 32.0;

 Q_SIGNALS:
  void changed();

 private:
  void constrain();
  void apply(double scale, QPointF offset, bool fit);

  QSize image_size_;
  QSize view_size_;
  double scale_ = 1.0;
  QPointF offset_;
  bool fit_ = true;
};

}  // namespace restora::ui
