#include "metrics_overlay.h"

#include <QPainter>

#include <algorithm>

namespace restora::ui {
namespace {
constexpr int kPadding = 8;
}

MetricsOverlay::MetricsOverlay(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("metricsOverlay"));
  setAttribute(Qt::WA_TransparentForMouseEvents);
  setAttribute(Qt::WA_NoSystemBackground);
  hide();
}

void MetricsOverlay::setLines(const QStringList& lines) {
  lines_ = lines;
  setVisible(!lines_.isEmpty());
  resize(sizeHint());
  update();
}

QSize MetricsOverlay::sizeHint() const {
  const QFontMetrics metrics(font());
  int width = 0;
  for (const QString& line : lines_) width = std::max(width, metrics.horizontalAdvance(line));
  return {width + 2 * kPadding, int(lines_.size()) * metrics.lineSpacing() + 2 * kPadding};
}

void MetricsOverlay::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  QColor back = palette().color(QPalette::Window);
  back.setAlpha(210);
  painter.setPen(palette().color(QPalette::Mid));
  painter.setBrush(back);
  painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
  painter.setPen(palette().color(QPalette::WindowText));
  const QFontMetrics metrics(font());
  int y = kPadding + metrics.ascent();
  for (const QString& line : lines_) {
    painter.drawText(kPadding, y, line);
    y += metrics.lineSpacing();
  }
}

}  // namespace restora::ui
