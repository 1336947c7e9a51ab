#include "image_pane.h"

#include "heat_map.h"
#include "scaled_views.h"
#include "view_controller.h"

#include <QElapsedTimer>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace restora::ui {
namespace {
constexpr double kDividerGrip = 6.0;  // pixels either side of the divider that grab it
}

ImagePane::ImagePane(ViewController* controller, QWidget* parent) : QWidget(parent), controller_(controller) {
  setMouseTracking(true);
  setFocusPolicy(Qt::ClickFocus);
  setMinimumSize(120, 120);
  setAttribute(Qt::WA_OpaquePaintEvent);
  connect(controller_, &ViewController::changed, this, qOverload<>(&QWidget::update));
}

void ImagePane::setPicture(std::shared_ptr<const ScaledViews> views, const QString& label) {
  views_ = std::move(views);
  label_ = label;
  update();
}

void ImagePane::setSplitPicture(std::shared_ptr<const ScaledViews> views, const QString& label) {
  split_views_ = std::move(views);
  split_label_ = label;
  setCursor(Qt::ArrowCursor);
  update();
}

void ImagePane::setSplitFraction(double fraction) {
  split_fraction_ = std::clamp(fraction, 0.0, 1.0);
  update();
}

void ImagePane::setLegend(bool shown, double amplification) {
  legend_ = shown;
  amplification_ = amplification;
  update();
}

void ImagePane::setDrivesViewSize(bool drives) {
  drives_view_size_ = drives;
  if (drives) controller_->setViewSize(size());
}

void ImagePane::clearSelection() {
  if (selection_.isEmpty()) return;
  selection_ = {};
  Q_EMIT selectionChanged(selection_);
  update();
}

void ImagePane::paintEvent(QPaintEvent*) {
  QElapsedTimer timer;
  timer.start();
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Window).darker(115));
  if (views_) {
    const double divider = split_views_ ? width() * split_fraction_ : width();
    paintPicture(painter, *views_, QRectF(0, 0, divider, height()));
    if (split_views_) {
      paintPicture(painter, *split_views_, QRectF(divider, 0, width() - divider, height()));
      painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
      painter.drawLine(QPointF(divider, 0), QPointF(divider, height()));
    }
    if (!label_.isEmpty()) paintTag(painter, label_, false);
    if (split_views_ && !split_label_.isEmpty()) paintTag(painter, split_label_, true);
    if (legend_) paintLegend(painter);
    if (!selection_.isEmpty()) {
      const QRectF shown(controller_->mapToView(selection_.topLeft()), controller_->mapToView(selection_.bottomRight() + QPoint(1, 1)));
      painter.setPen(QPen(palette().color(QPalette::Highlight), 1, Qt::DashLine));
      painter.setBrush(Qt::NoBrush);
      painter.drawRect(shown);
    }
  }
  last_paint_ms_ = timer.nsecsElapsed() / 1e6;
}

void ImagePane::paintPicture(QPainter& painter, const ScaledViews& views, const QRectF& clip) {
  if (clip.width() <= 0) return;
  // Only the image part that falls inside this clip of the pane is scaled and drawn.
  const QRectF visible(controller_->mapToImage(clip.topLeft()), controller_->mapToImage(clip.bottomRight()));
  const QRectF region = visible.intersected(QRectF(QPointF(0, 0), QSizeF(controller_->imageSize())));
  if (region.isEmpty()) return;
  const QRectF target(controller_->mapToView(region.topLeft()), controller_->mapToView(region.bottomRight()));
  painter.save();
  painter.setClipRect(clip);
  views.paint(painter, target, region, controller_->imageSize(), controller_->scale());
  painter.restore();
}

void ImagePane::paintTag(QPainter& painter, const QString& text, bool right) {
  const QFontMetrics metrics(font());
  const QRect box(0, 0, metrics.horizontalAdvance(text) + 12, metrics.height() + 6);
  const QRect placed = box.translated(right ? width() - box.width() - 8 : 8, height() - box.height() - 8);
  QColor back = palette().color(QPalette::Window);
  back.setAlpha(200);
  painter.setPen(Qt::NoPen);
  painter.setBrush(back);
  painter.drawRoundedRect(placed, 4, 4);
  painter.setPen(palette().color(QPalette::WindowText));
  painter.drawText(placed, Qt::AlignCenter, text);
}

void ImagePane::paintLegend(QPainter& painter) {
  const QFontMetrics metrics(font());
  const QRect bar(width() - 28, 16, 14, std::min(220, height() - 80));
  if (bar.height() < 40) return;
  QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
  for (int stop = 0; stop <= 8; ++stop) gradient.setColorAt(stop / 8.0, heatColour(stop / 8.0));
  painter.setPen(palette().color(QPalette::WindowText));
  painter.setBrush(gradient);
  painter.drawRect(bar);
  // The top of the scale is the difference that saturates after amplification.
  const QString top = tr("≥ %1").arg(255.0 / amplification_, 0, 'f', 0);
  const QString caption = tr("|after − before| × %1").arg(amplification_, 0, 'f', 0);
  QColor back = palette().color(QPalette::Window);
  back.setAlpha(200);
  const int label_width = std::max(metrics.horizontalAdvance(top), metrics.horizontalAdvance(QStringLiteral("0"))) + 6;
  const QRect labels(bar.left() - label_width - 4, bar.top() - 2, label_width, bar.height() + 4);
  painter.fillRect(labels, back);
  painter.drawText(labels, Qt::AlignRight | Qt::AlignTop, top);
  painter.drawText(labels, Qt::AlignRight | Qt::AlignBottom, QStringLiteral("0"));
  const QRect caption_box(width() - metrics.horizontalAdvance(caption) - 20, bar.bottom() + 6,
                          metrics.horizontalAdvance(caption) + 8, metrics.height() + 4);
  painter.fillRect(caption_box, back);
  painter.drawText(caption_box, Qt::AlignCenter, caption);
}

void ImagePane::resizeEvent(QResizeEvent*) {
  if (drives_view_size_) controller_->setViewSize(size());
}

void ImagePane::wheelEvent(QWheelEvent* event) {
  if (!views_) return;
  const double steps = event->angleDelta().y() / 120.0;
  controller_->zoomAbout(std::pow(1.25, steps), event->position());
  event->accept();
}

bool ImagePane::nearDivider(QPointF position) const {
  return split_views_ && std::abs(position.x() - width() * split_fraction_) <= kDividerGrip;
}

QRect ImagePane::selectionFrom(QPointF a, QPointF b) const {
  const QPointF first = controller_->mapToImage(a);
  const QPointF second = controller_->mapToImage(b);
  const QRect pixels(QPoint(int(std::floor(std::min(first.x(), second.x()))), int(std::floor(std::min(first.y(), second.y())))),
                     QPoint(int(std::ceil(std::max(first.x(), second.x()))) - 1, int(std::ceil(std::max(first.y(), second.y()))) - 1));
  return pixels.intersected(QRect(QPoint(0, 0), controller_->imageSize()));
}

void ImagePane::mousePressEvent(QMouseEvent* event) {
  if (!views_ || event->button() != Qt::LeftButton) return;
  drag_start_ = last_position_ = event->position();
  if (nearDivider(event->position())) {
    drag_ = Drag::Divider;
  } else if (event->modifiers() & Qt::ShiftModifier) {
    drag_ = Drag::Select;
  } else {
    drag_ = Drag::Pan;
    setCursor(Qt::ClosedHandCursor);
  }
}

void ImagePane::mouseMoveEvent(QMouseEvent* event) {
  const QPointF position = event->position();
  switch (drag_) {
    case Drag::Pan: controller_->panBy(position - last_position_); break;
    case Drag::Divider: setSplitFraction(position.x() / std::max(1, width())); break;
    case Drag::Select:
      selection_ = selectionFrom(drag_start_, position);
      update();
      break;
    case Drag::None: setCursor(nearDivider(position) ? Qt::SplitHCursor : Qt::OpenHandCursor); break;
  }
  last_position_ = position;
}

void ImagePane::mouseReleaseEvent(QMouseEvent* event) {
  if (drag_ == Drag::Select) {
    selection_ = selectionFrom(drag_start_, event->position());
    Q_EMIT selectionChanged(selection_);
  }
  drag_ = Drag::None;
  setCursor(Qt::OpenHandCursor);
}

}  // namespace restora::ui
