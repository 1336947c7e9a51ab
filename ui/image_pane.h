#pragma once
#include <QRect>
#include <QWidget>

#include <memory>

namespace restora::ui {

class ScaledViews;
class ViewController;

/// One pane of the compare view: paints its picture through the shared ViewController and sends
/// wheel (zoom about the cursor) and drag (pan) input to it. In split mode it paints a second
/// picture right of a draggable divider. Shift-drag selects a rectangle (for Crop to selection).
class ImagePane : public QWidget {
  Q_OBJECT

 public:
  ImagePane(ViewController* controller, QWidget* parent = nullptr);

  void setPicture(std::shared_ptr<const ScaledViews> views, const QString& label);
  /// A second picture shown right of the divider; null switches split mode off.
  void setSplitPicture(std::shared_ptr<const ScaledViews> views, const QString& label);
  bool isSplit() const { return static_cast<bool>(split_views_); }
  /// Divider position as a fraction of the pane's width.
  double splitFraction() const { return split_fraction_; }
  void setSplitFraction(double fraction);
  /// Shows the heat-map legend: 0 to 255 / amplification (8-bit levels).
  void setLegend(bool shown, double amplification = 1.0);
  /// Whether this pane's size is the controller's view size (the first pane of the view).
  void setDrivesViewSize(bool drives);

  /// Selected rectangle in image pixels; empty when none.
  QRect selection() const { return selection_; }
  void clearSelection();

  /// Duration of the last paintEvent in milliseconds (for the repaint measurement).
  double lastPaintMilliseconds() const { return last_paint_ms_; }

 Q_SIGNALS:
  void selectionChanged(QRect selection);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  enum class Drag { None, Pan, Divider, Select };
  void paintPicture(QPainter& painter, const ScaledViews& views, const QRectF& clip);
  void paintTag(QPainter& painter, const QString& text, bool right);
  void paintLegend(QPainter& painter);
  bool nearDivider(QPointF position) const;
  QRect selectionFrom(QPointF a, QPointF b) const;

  ViewController* controller_;
  std::shared_ptr<const ScaledViews> views_;
  std::shared_ptr<const ScaledViews> split_views_;
  QString label_;
  QString split_label_;
  double split_fraction_ = 0.5;
  bool legend_ = false;
  double amplification_ = 1.0;
  bool drives_view_size_ = false;
  Drag drag_ = Drag::None;
  QPointF drag_start_;
  QPointF last_position_;
  QRect selection_;
  double last_paint_ms_ = 0.0;
};

}  // namespace restora::ui
