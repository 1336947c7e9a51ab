// Undo/redo, restoration through the runner, cancellation.
#include "image_convert.h"
#include "main_window.h"
#include "photo_document.h"
#include "restore_panel.h"
#include "restore_runner.h"
#include "ui_test_support.h"

#include "io/image.h"

#include <QSettings>
#include <QUndoStack>
#include <gtest/gtest.h>

namespace restora::ui {
namespace {

using test::waitUntil;

/// A window with the test photo open and the tiny HINet chosen.
class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    window_.useCheckpoint(test::tinyHinetWeights());
    window_.openPhoto(test::writeTestPhoto("history", 48, 32));
    ASSERT_TRUE(waitUntil([&] { return window_.document()->hasPhoto() && !window_.restorePanel()->modelId().isEmpty(); }))
        << window_.lastError().toStdString();
    original_ = window_.document()->state().after;
  }

  std::shared_ptr<const restora::Image> shown() const { return window_.document()->state().after; }
  QUndoStack* stack() const { return window_.undoStack(); }

  MainWindow window_;
  std::shared_ptr<const restora::Image> original_;
};

TEST_F(HistoryTest, UndoAndRedoOfARotationGiveBackTheExactPixels) {
  window_.applyEditToPhoto(Edit::RotateClockwise);
  ASSERT_TRUE(waitUntil([&] { return stack()->count() == 1; }));
  const restora::Image rotated = *shown();
  EXPECT_EQ(imageSize(rotated), QSize(32, 48));
  stack()->undo();
  EXPECT_TRUE(samePixels(*shown(), *original_));
  stack()->redo();
  EXPECT_TRUE(samePixels(*shown(), rotated));
  EXPECT_FALSE(samePixels(rotated, applyEdit(*original_, Edit::RotateCounterClockwise)));
}

TEST_F(HistoryTest, UndoAndRedoOfARestorationGiveBackTheExactPixels) {
  window_.runRestoration();
  ASSERT_TRUE(waitUntil([&] { return stack()->count() == 1; })) << window_.lastError().toStdString();
  const restora::Image restored = *shown();
  EXPECT_FALSE(samePixels(restored, *original_));
  EXPECT_TRUE(stack()->text(0).contains("HINet")) << stack()->text(0).toStdString();
  stack()->undo();
  EXPECT_TRUE(samePixels(*shown(), *original_));
  stack()->redo();
  EXPECT_TRUE(samePixels(*shown(), restored));
  // A restoration keeps "before" as the photo was opened.
  EXPECT_TRUE(samePixels(*window_.document()->state().before, *original_));
}

TEST_F(HistoryTest, ACancelledRunLeavesThePictureAndTheHistoryUnchanged) {
  // Cancel from inside the job at its first progress report: the same point on every run.
  window_.runner()->setWorkerProgressObserver([runner = window_.runner()](double) { runner->cancel(); });
  bool cancelled = false;
  QObject::connect(window_.runner(), &RestoreRunner::cancelled, [&] { cancelled = true; });
  window_.runRestoration();
  ASSERT_TRUE(waitUntil([&] { return !window_.runner()->isRunning(); }));
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(stack()->count(), 0);
  EXPECT_EQ(shown(), original_);
  EXPECT_TRUE(samePixels(*shown(), *original_));
}

TEST_F(HistoryTest, ASecondRunWhileOneRunsIsRefused) {
  window_.runRestoration();
  ASSERT_TRUE(window_.runner()->isRunning());
  window_.runRestoration();
  EXPECT_TRUE(window_.lastError().contains("already running")) << window_.lastError().toStdString();
  ASSERT_TRUE(waitUntil([&] { return !window_.runner()->isRunning(); }));
  EXPECT_EQ(stack()->count(), 1);
}

TEST_F(HistoryTest, AHistoryOverItsBudgetDropsTheOlderStepsAndKeepsTheNewest) {
  QSettings().setValue("history/budgetMiB", 0);
  window_.applyEditToPhoto(Edit::FlipHorizontal);
  ASSERT_TRUE(waitUntil([&] { return stack()->count() == 1; }));
  window_.applyEditToPhoto(Edit::FlipVertical);
  ASSERT_TRUE(waitUntil([&] { return stack()->index() == 1 && stack()->text(0).contains("vertically"); }));
  QSettings().remove("history/budgetMiB");
  EXPECT_EQ(stack()->count(), 1);
  stack()->undo();  // the newest step is still undoable: back to the horizontal flip
  EXPECT_TRUE(samePixels(*shown(), applyEdit(*original_, Edit::FlipHorizontal)));
}

}  // namespace
}  // namespace restora::ui
