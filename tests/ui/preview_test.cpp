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
    QObject::connect(&runner, &RestoreRunner::tileFinished, [this](const QRect& region, const QImage& pixels) {
      tiles.push_back(region);
      if (canvas) canvas->replaceRegion(region, pixels);
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
