#include "icons.h"
#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QImage>
#include <QPalette>
#include <QPixmap>
#include <QToolBar>
#include <gtest/gtest.h>

namespace restora::ui {
namespace {

// The opaque pixels of an icon drawn at 32 px, and their mean colour.
struct Ink {
  int pixels = 0;
  QColor mean;
};

Ink inkOf(const QIcon& icon, QIcon::Mode mode = QIcon::Normal) {
  const QImage image = icon.pixmap(QSize(32, 32), mode).toImage().convertToFormat(QImage::Format_ARGB32);
  Ink ink;
  double r = 0, g = 0, b = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QColor colour = image.pixelColor(x, y);
      if (colour.alpha() < 200) continue;
      ++ink.pixels;
      r += colour.red();
      g += colour.green();
      b += colour.blue();
    }
  if (ink.pixels > 0) ink.mean = QColor(int(r / ink.pixels), int(g / ink.pixels), int(b / ink.pixels));
  return ink;
}

// Restores the application palette when a test changes it.
class PaletteGuard {
 public:
  PaletteGuard() : saved_(QApplication::palette()) {}
  ~PaletteGuard() { QApplication::setPalette(saved_); }

 private:
  QPalette saved_;
};

TEST(Icons, EveryBundledIconDrawsSomething) {
  const QStringList names = bundledIconNames();
  ASSERT_GE(names.size(), 20) << "resources/icons/ is not compiled in";
  for (const QString& name : names) {
    const Ink ink = inkOf(bundledIcon(name));
    EXPECT_GT(ink.pixels, 20) << name.toStdString();
    EXPECT_LT(ink.pixels, 32 * 32 / 2) << name.toStdString() << " is mostly solid";
  }
}

TEST(Icons, DrawInThePalettesTextColourSoTheyReadOnDarkPalettesToo) {
  PaletteGuard guard;
  QPalette dark;
  dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
  dark.setColor(QPalette::ButtonText, QColor(0xf0, 0xf0, 0xf0));
  dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x70, 0x70));
  QApplication::setPalette(dark);
  const QIcon icon = bundledIcon(QStringLiteral("zoom-in"));
  const Ink normal = inkOf(icon);
  ASSERT_GT(normal.pixels, 0);
  EXPECT_GT(normal.mean.lightness(), 200);
  const Ink disabled = inkOf(icon, QIcon::Disabled);
  ASSERT_GT(disabled.pixels, 0);
  EXPECT_LT(disabled.mean.lightness(), 150);

  QPalette light;
  light.setColor(QPalette::ButtonText, QColor(0x10, 0x10, 0x10));
  QApplication::setPalette(light);
  EXPECT_LT(inkOf(icon).mean.lightness(), 60) << "the colour follows a palette change";
}

TEST(Icons, AnUnknownNameGivesANullIconRatherThanACrash) {
  EXPECT_TRUE(bundledIcon(QStringLiteral("no-such-icon")).isNull());
}

TEST(MainWindowToolBar, HoldsTheEverydayActionsEachWithAnIconAndATooltip) {
  MainWindow window;
  auto* toolbar = window.findChild<QToolBar*>(QStringLiteral("mainToolBar"));
  ASSERT_NE(toolbar, nullptr);
  QStringList texts;
  for (QAction* action : toolbar->actions()) {
    if (action->isSeparator()) continue;
    texts << action->text().remove('&');
    EXPECT_FALSE(action->icon().isNull()) << action->text().toStdString();
    EXPECT_FALSE(action->toolTip().isEmpty()) << action->text().toStdString();
  }
  for (const char* wanted : {"Open…", "Save As…", "Run", "Cancel", "Side by Side", "Split", "Toggle", "Difference",
                             "Zoom In", "Zoom Out", "Fit to Window"})
    EXPECT_TRUE(texts.contains(QString::fromUtf8(wanted))) << wanted;
  for (QAction* action : toolbar->actions()) {
    if (action->text() == QStringLiteral("Zoom &In")) {
      EXPECT_TRUE(action->toolTip().contains('(')) << "the shortcut is named";
    }
  }
}

}  // namespace
}  // namespace restora::ui
