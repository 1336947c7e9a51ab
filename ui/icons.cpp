#include "icons.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace restora::ui {
namespace {

const QString kIconFolder = QStringLiteral(":/icons/");

// Our SVGs draw with "currentColor"; this engine substitutes the palette colour of the mode asked
// for at paint time (QSvgRenderer itself knows no current colour).
class TintedSvgIconEngine final : public QIconEngine {
 public:
  TintedSvgIconEngine(QString name, QByteArray svg) : name_(std::move(name)), svg_(std::move(svg)) {}

  void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override {
    QSvgRenderer renderer(tinted(colourFor(mode)));
    renderer.setAspectRatioMode(Qt::KeepAspectRatio);
    renderer.render(painter, rect);
  }

  QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override {
    const QColor colour = colourFor(mode);
    const QString key = QStringLiteral("restora-icon:%1:%2x%3:%4")
                            .arg(name_)
                            .arg(size.width())
                            .arg(size.height())
                            .arg(colour.name(QColor::HexArgb));
    QPixmap pixmap;
    if (QPixmapCache::find(key, &pixmap)) return pixmap;
    pixmap = QPixmap(size);
    pixmap.fill(Qt::transparent);
    {
      QPainter painter(&pixmap);
      painter.setRenderHint(QPainter::Antialiasing);
      paint(&painter, QRect(QPoint(0, 0), size), mode, state);
    }
    QPixmapCache::insert(key, pixmap);
    return pixmap;
  }

  QSize actualSize(const QSize& size, QIcon::Mode, QIcon::State) override { return size; }
  QIconEngine* clone() const override { return new TintedSvgIconEngine(name_, svg_); }
  QString key() const override { return QStringLiteral("TintedSvgIconEngine"); }
  QString iconName() override { return name_; }

 private:
  static QColor colourFor(QIcon::Mode mode) {
    const QPalette palette = QGuiApplication::palette();
    if (mode == QIcon::Disabled) return palette.color(QPalette::Disabled, QPalette::ButtonText);
    if (mode == QIcon::Selected) return palette.color(QPalette::Active, QPalette::HighlightedText);
    return palette.color(QPalette::Active, QPalette::ButtonText);
  }

  QByteArray tinted(const QColor& colour) const {
    QByteArray svg = svg_;
    return svg.replace("currentColor", colour.name(QColor::HexRgb).toLatin1());
  }

  QString name_;
  QByteArray svg_;
};

}  // namespace

QIcon bundledIcon(const QString& name) {
  QFile file(kIconFolder + name + QStringLiteral(".svg"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QIcon(new TintedSvgIconEngine(name, file.readAll()));
}

QIcon themedIcon(const QString& name) {
  if (QIcon::hasThemeIcon(name)) return QIcon::fromTheme(name);
  return bundledIcon(name);
}

QStringList bundledIconNames() {
  QStringList names;
  for (const QString& file : QDir(kIconFolder).entryList({QStringLiteral("*.svg")}, QDir::Files, QDir::Name))
    names << file.chopped(4);
  return names;
}

}  // namespace restora::ui
