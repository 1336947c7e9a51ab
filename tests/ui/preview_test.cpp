// A restoration in progress: the after pane fills in tile by tile; registry models load on their first run.
#include "compare_view.h"
#include "image_convert.h"
#include "image_state.h"
#include "main_window.h"
#include "photo_document.h"
#include "restore_panel.h"
#include "restore_runner.h"
#include "scaled_views.h"
#include "ui_test_support.h"

#include "common/error.h"
#include "engine/model_loader.h"
#include "io/image_file.h"

#include <QRegion>
#include <QUndoStack>
#include <gtest/gtest.h>

#include <cmath>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

namespace restora::ui {
namespace {

using test::waitUntil;

std::shared_ptr<const LoadedModel> loadTinyHinet() {
  ModelRequest request;
  request.weights = test::tinyHinetWeights().toStdString();
  return std::make_shared<const LoadedModel>(load_model(request));
}

ImageState photoState(int width, int height) {
  auto image = std::make_shared<const Image>(read_image(test::writeTestPhoto("preview", width, height).toStdString()));
  return makeState(image, image);
}

/// Runs `request` to its end, collecting what the runner reports.
struct RunRecord {
  std::shared_ptr<ScaledViews> canvas;
  std::vector<QRect> tiles;
  QString loaded_id;
  QString failure;
  std::optional<ImageState> result;
  bool ended = false;

  explicit RunRecord(RestoreRunner& runner) {
    QObject::connect(&runner, &RestoreRunner::previewStarted, [this](std::shared_ptr<ScaledViews> views) { canvas = views; });
    QObject::connect(&runner, &RestoreRunner::tileFinished, [this](const TilePyramid& tile) {
      tiles.push_back(tile.region);
      if (canvas) canvas->paste(tile);
    });
    QObject::connect(&runner, &RestoreRunner::modelLoaded,
                     [this](const QString& id, std::shared_ptr<const LoadedModel>) { loaded_id = id; });
    QObject::connect(&runner, &RestoreRunner::finished, [this](const ImageState& state) { result = state, ended = true; });
    QObject::connect(&runner, &RestoreRunner::failed, [this](const QString& message) { failure = message, ended = true; });
    QObject::connect(&runner, &RestoreRunner::cancelled, [this] { ended = true; });
  }
};

RunRecord runTiled(RestoreRunner& runner, int overlap) {
  RunRecord run(runner);
  RestoreRequest request;
  request.model_id = "tiny";
  request.model = loadTinyHinet();
  request.input = photoState(96, 64);
  request.options.tiling.tile = 32;
  request.options.tiling.overlap = overlap;
  EXPECT_TRUE(runner.start(std::move(request)));
  EXPECT_TRUE(waitUntil([&] { return run.ended; }));
  return run;
}

TEST(Preview, TheFinishedTilesCoverTheOutputEachPixelOnce) {
  RestoreRunner runner;
  const RunRecord run = runTiled(runner, 8);
  ASSERT_TRUE(run.result) << run.failure.toStdString();
  ASSERT_TRUE(run.canvas);
  EXPECT_GT(run.tiles.size(), 4u);  // 96x64 in 32-px tiles with 8 px shared: several
  QRegion covered;
  for (const QRect& tile : run.tiles) {
    EXPECT_FALSE(covered.intersects(tile)) << "each output pixel is sent once";
    covered += tile;
  }
  EXPECT_EQ(covered, QRegion(QRect(0, 0, 96, 64)));
  EXPECT_TRUE(run.loaded_id.isEmpty()) << "a loaded model is not reported again";
}

// The overlaps are blended only when both neighbours are done, so the preview equals the
// result exactly where tiles share nothing.
TEST(Preview, WithoutOverlapThePreviewIsTheResultPixelForPixel) {
  RestoreRunner runner;
  const RunRecord run = runTiled(runner, 0);
  ASSERT_TRUE(run.result) << run.failure.toStdString();
  ASSERT_TRUE(run.canvas);
  EXPECT_EQ(run.tiles.size(), 6u);
  EXPECT_TRUE(run.canvas->full().convertToFormat(QImage::Format_RGB32) == toDisplayImage(*run.result->after));
}

TEST(Preview, TilesPastedIntoACanvasLeaveNoGapInAnyLevel) {
  QImage black(1001, 603, QImage::Format_ARGB32_Premultiplied);
  black.fill(Qt::black);
  ScaledViews canvas(black);
  ASSERT_GE(canvas.levelCount(), 3);
  QImage white(400, 400, QImage::Format_RGB32);
  white.fill(Qt::white);
  // Odd tile edges (333, 334 px) that fall between pixels of the reduced levels.
  for (const int x : {0, 333, 667})
    for (const int y : {0, 301}) {
      const QRect region(x, y, std::min(334, 1001 - x), std::min(301 + (y ? 1 : 0), 603 - y));
      canvas.paste(ScaledViews::tilePyramid(canvas.levelSizes(), region, white.copy(0, 0, region.width(), region.height())));
    }
  for (int level = 0; level < canvas.levelCount(); ++level) {
    const QImage image = canvas.levelFor(std::pow(0.5, level)).convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y)
      for (int x = 0; x < image.width(); ++x)
        ASSERT_EQ(image.pixel(x, y), qRgb(255, 255, 255)) << "level " << level << " at " << x << "," << y;
  }
}

TEST(Preview, AModelWithoutWeightsInMemoryIsLoadedOnTheWorkerAndReported) {
  RestoreRunner runner;
  RunRecord run(runner);
  std::atomic<int> loads{0};
  RestoreRequest request;
  request.model_id = "hinet-tiny";
  request.load_model = [&loads] { return ++loads, loadTinyHinet(); };
  request.input = photoState(24, 16);
  ASSERT_TRUE(runner.start(std::move(request)));
  ASSERT_TRUE(waitUntil([&] { return run.ended; }));
  EXPECT_TRUE(run.result) << run.failure.toStdString();
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(run.loaded_id, "hinet-tiny");
}

TEST(Preview, AModelThatCannotBeLoadedFailsWithAMessageNamingIt) {
  RestoreRunner runner;
  RunRecord run(runner);
  RestoreRequest request;
  request.model_id = "hinet-denoise-lite";
  request.load_model = []() -> std::shared_ptr<const LoadedModel> {
    throw Error(ErrorKind::BadInput, "weights.pth: the SHA-256 differs from the manifest's; reinstall the model.");
  };
  request.input = photoState(24, 16);
  ASSERT_TRUE(runner.start(std::move(request)));
  ASSERT_TRUE(waitUntil([&] { return run.ended; }));
  EXPECT_FALSE(run.result);
  EXPECT_TRUE(run.failure.contains("hinet-denoise-lite")) << run.failure.toStdString();
  EXPECT_TRUE(run.failure.contains("SHA-256")) << run.failure.toStdString();
  EXPECT_TRUE(run.canvas == nullptr);
}

TEST(Preview, TheComparePaneShowsTheRunInProgressAndThenTheResult) {
  MainWindow window;
  window.useCheckpoint(test::tinyHinetWeights());
  window.openPhoto(test::writeTestPhoto("preview-window", 64, 48));
  ASSERT_TRUE(waitUntil([&] { return window.document()->hasPhoto() && !window.restorePanel()->modelId().isEmpty(); }))
      << window.lastError().toStdString();
  // The worker waits at its first progress report until the test has seen the preview: no race.
  std::atomic<bool> seen{false};
  window.runner()->setWorkerProgressObserver([&seen](double) {
    for (int i = 0; i < 60000 && !seen; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  });
  window.runRestoration();
  ASSERT_TRUE(waitUntil([&] { return window.compareView()->isPreviewing(); })) << window.lastError().toStdString();
  seen = true;
  ASSERT_TRUE(waitUntil([&] { return window.undoStack()->count() == 1; })) << window.lastError().toStdString();
  EXPECT_FALSE(window.compareView()->isPreviewing());
  // Once done, the after pane holds the blended result, not the preview.
  const auto after = window.compareView()->afterViews();
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->full().convertToFormat(QImage::Format_RGB32) == toDisplayImage(*window.document()->state().after));
}

TEST(Preview, ACancelledRunPutsThePhotoBackInTheComparePane) {
  MainWindow window;
  window.useCheckpoint(test::tinyHinetWeights());
  window.openPhoto(test::writeTestPhoto("preview-cancel", 64, 48));
  ASSERT_TRUE(waitUntil([&] { return window.document()->hasPhoto() && !window.restorePanel()->modelId().isEmpty(); }))
      << window.lastError().toStdString();
  window.runner()->setWorkerProgressObserver([runner = window.runner()](double) { runner->cancel(); });
  window.runRestoration();
  ASSERT_TRUE(waitUntil([&] { return !window.runner()->isRunning(); }));
  EXPECT_FALSE(window.compareView()->isPreviewing());
  EXPECT_EQ(window.undoStack()->count(), 0);
}

}  // namespace
}  // namespace restora::ui
