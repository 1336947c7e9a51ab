// Measurements for docs/gui.md, not part of the CI run (DISABLED_: run them with
//   QT_QPA_PLATFORM=offscreen ui_tests --gtest_also_run_disabled_tests --gtest_filter='Measure*'
// ). They print figures; their only checks are that the work happened.
#include "compare_view.h"
#include "image_convert.h"
#include "image_pane.h"
#include "main_window.h"
#include "photo_document.h"
#include "restore_panel.h"
#include "restore_runner.h"
#include "ui_test_support.h"
#include "view_controller.h"

#include "io/image.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QUndoStack>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace restora::ui {
namespace {

/// A synthetic photo of that size (gradients and stripes), in memory.
std::shared_ptr<const restora::Image> syntheticPicture(int width, int height) {
  QImage picture(width, height, QImage::Format_RGB32);
  for (int y = 0; y < height; ++y) {
    auto* line = reinterpret_cast<QRgb*>(picture.scanLine(y));
    for (int x = 0; x < width; ++x) line[x] = qRgb(x * 255 / width, y * 255 / height, ((x / 37 + y / 23) % 2) * 200);
  }
  return std::make_shared<const restora::Image>(fromQImage(picture));
}

struct Spread {
  double median = 0, worst = 0;
  std::size_t worst_index = 0;  ///< which frame was the worst: a first frame points at a cold start, not the steady cost
};

Spread spread(std::vector<double> values) {
  const auto worst = std::max_element(values.begin(), values.end());
  const auto worst_index = static_cast<std::size_t>(worst - values.begin());
  std::sort(values.begin(), values.end());
  return {values[values.size() / 2], values.back(), worst_index};
}

TEST(Measure, DISABLED_PanAndZoomRepaintAt24Megapixels) {
  const auto before = syntheticPicture(6000, 4000);
  const auto after = syntheticPicture(6000, 4000);
  CompareView view;
  view.resize(1280, 800);
  view.setState(makeState(before, after));
  view.show();
  ASSERT_TRUE(test::waitUntil([&] { return view.firstPane()->isVisible(); }));
  ViewController* controller = view.controller();
  {
    // The offscreen platform never exposes the window, so the first grab is the panes' first
    // paint ever (fonts, glyph caches): on screen that happens when the photo opens, not on a pan.
    QElapsedTimer clock;
    clock.start();
    const QPixmap first = view.grab();
    std::printf("first paint of the compare view (not a pan or zoom): %.2f ms\n", clock.nsecsElapsed() / 1e6);
  }
  for (const double scale : {controller->fitScale(), 0.5, 1.0, 4.0}) {
    controller->setScaleAbout(scale, QPointF(320, 400));
    std::vector<double> frames;
    for (int step = 0; step < 60; ++step) {
      if (step % 2 == 0) controller->panBy(QPointF(-23, -11));
      else controller->zoomAbout(step % 4 == 1 ? 1.05 : 1 / 1.05, QPointF(300, 300));
      // grab() runs both panes' paintEvent into a pixmap of their size: the work of one frame.
      QElapsedTimer clock;
      clock.start();
      const QPixmap frame = view.grab();
      frames.push_back(clock.nsecsElapsed() / 1e6);
      ASSERT_GT(view.firstPane()->lastPaintMilliseconds() + view.secondPane()->lastPaintMilliseconds(), 0.0);
    }
    const Spread both = spread(frames);
    std::printf("one frame of the compare view (1280x800, two panes) at scale %.3f: median %.2f ms, worst %.2f ms (frame %zu of %zu)\n",
                scale, both.median, both.worst, both.worst_index, frames.size());
    EXPECT_GT(both.median, 0.0);
  }
}

TEST(Measure, DISABLED_LongestEventLoopStallDuringA12MegapixelRestoration) {
  MainWindow window;
  window.show();
  window.useCheckpoint(test::tinyHinetWeights());
  ASSERT_TRUE(test::waitUntil([&] { return !window.restorePanel()->modelId().isEmpty(); }));
  const auto picture = syntheticPicture(4000, 3000);
  QElapsedTimer load_clock;
  load_clock.start();
  window.document()->open({}, makeState(picture, picture));
  std::printf("12 MP state and views made in %.0f ms (off the GUI thread in the app)\n", load_clock.nsecsElapsed() / 1e6);

  // A 1 ms timer: the gap between two ticks is how long the event loop could not run.
  QElapsedTimer clock;
  clock.start();
  qint64 last = 0;
  qint64 worst = 0;
  qint64 worst_at = 0;  // when the worst gap ended
  QTimer ticker;
  ticker.setInterval(1);
  QObject::connect(&ticker, &QTimer::timeout, [&] {
    const qint64 now = clock.nsecsElapsed();
    if (now - last > worst) {
      worst = now - last;
      worst_at = now;
    }
    last = now;
  });
  window.runRestoration();
  ASSERT_TRUE(window.runner()->isRunning()) << window.lastError().toStdString();
  last = clock.nsecsElapsed();
  ticker.start();
  qint64 finished_at = 0;
  QObject::connect(window.runner(), &RestoreRunner::finished, [&] { finished_at = clock.nsecsElapsed(); });
  ASSERT_TRUE(test::waitUntil([&] { return window.undoStack()->count() == 1; }, 1800)) << window.lastError().toStdString();
  // Until the result is on screen.
  window.compareView()->firstPane()->repaint();
  ticker.stop();
  std::printf("12 MP restoration with the tiny HINet: %.1f s; longest event-loop stall %.1f ms, ending %.1f s %s the "
              "result arrived\n",
              clock.nsecsElapsed() / 1e9, worst / 1e6, std::abs(worst_at - finished_at) / 1e9,
              worst_at < finished_at ? "before" : "after");
}

}  // namespace
}  // namespace restora::ui
