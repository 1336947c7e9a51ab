#include "compare_view.h"

#include "image_pane.h"
#include "photo_files.h"
#include "scaled_views.h"
#include "ui_test_support.h"
#include "view_controller.h"

#include "io/image.h"

#include <gtest/gtest.h>

namespace restora::ui {
namespace {

/// Before and after as two distinct pictures with the same pixels: two panes showing the same
/// region then paint the same pixels.
ImageState twinState(int width, int height) {
  const ImageState opened = loadPhotoState(test::writeTestPhoto("twin", width, height));
  auto copy = std::make_shared<const restora::Image>(*opened.after);
  return makeState(opened.before, copy);
}

/// A pane's picture without its corner label (the labels differ: Before / After).
QImage picturePart(ImagePane* pane) { return pane->grab().toImage().copy(0, 0, pane->width(), pane->height() - 48); }

TEST(CompareView, BothPanesShowTheSameRegionAfterZoomAndPan) {
  CompareView view;
  view.resize(900, 400);
  view.setState(twinState(640, 480));
  view.show();
  ViewController* controller = view.controller();
  ASSERT_EQ(view.firstPane()->size(), view.secondPane()->size());
  const QImage fitted = picturePart(view.firstPane());

  controller->zoomAbout(3.0, QPointF(100, 120));
  controller->panBy(QPointF(-37, 21));
  const QImage first = picturePart(view.firstPane());
  const QImage second = picturePart(view.secondPane());
  EXPECT_NE(first, fitted);  // the zoom and pan changed what is shown
  EXPECT_EQ(first, second);
  EXPECT_GT(controller->scale(), 1.0);
}

TEST(CompareView, ZoomKeepsTheImagePointUnderTheCursor) {
  ViewController controller;
  controller.setImageSize({4000, 3000});
  controller.setViewSize({800, 600});
  controller.zoomAbout(4.0, QPointF(300, 200));
  const QPointF under = controller.mapToImage(QPointF(300, 200));
  controller.zoomAbout(1.5, QPointF(300, 200));
  const QPointF still = controller.mapToImage(QPointF(300, 200));
  EXPECT_NEAR(under.x(), still.x(), 1e-9);
  EXPECT_NEAR(under.y(), still.y(), 1e-9);
}

TEST(CompareView, PanningNeverLeavesThePaneUncovered) {
  ViewController controller;
  controller.setImageSize({4000, 3000});
  controller.setViewSize({800, 600});
  controller.actualSize();
  controller.panBy(QPointF(1e6, 1e6));
  EXPECT_EQ(controller.visiblePixelRect(), QRect(0, 0, 800, 600));
}

/// How many pixels of the pane's picture area are not black.
int litPixels(ImagePane* pane) {
  const QImage shot = picturePart(pane).copy(0, 0, pane->width() - 80, pane->height() - 48);  // no legend
  int lit = 0;
  for (int y = 0; y < shot.height(); ++y)
    for (int x = 0; x < shot.width(); ++x) lit += qGray(shot.pixel(x, y)) > 40;
  return lit;
}

TEST(CompareView, TheDifferenceMapIsDarkWhereNothingChangedAndBrightWhereItDid) {
  const ImageState opened = loadPhotoState(test::writeTestPhoto("difference", 300, 200));
  CompareView view;
  view.resize(500, 400);
  view.setMode(CompareMode::Difference);
  view.show();
  // Same pixels: the map is black; the background around the picture is the palette's, so
  // measure only inside the picture (it fills the pane's width when fitted).
  view.setState(makeState(opened.before, std::make_shared<const restora::Image>(*opened.after)));
  ASSERT_TRUE(test::waitUntil([&] { return view.differenceReady(); }));
  const QRect inside = view.controller()->visiblePixelRect();
  ASSERT_FALSE(inside.isEmpty());
  const int unchanged = litPixels(view.firstPane());
  view.setState(makeState(opened.before, std::make_shared<const restora::Image>(applyEdit(*opened.after, Edit::FlipHorizontal))));
  ASSERT_TRUE(test::waitUntil([&] { return view.differenceReady(); }));
  const int changed = litPixels(view.firstPane());
  EXPECT_GT(changed, unchanged + 1000);
  EXPECT_FALSE(view.secondPane()->isVisible());
}

}  // namespace
}  // namespace restora::ui
