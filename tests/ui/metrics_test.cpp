#include "compare_view.h"
#include "main_window.h"
#include "metrics_overlay.h"
#include "metrics_presenter.h"
#include "photo_document.h"
#include "restore_panel.h"
#include "ui_test_support.h"
#include "view_controller.h"

#include "io/image.h"
#include "io/image_file.h"
#include "metrics/metrics.h"

#include <QUndoStack>
#include <gtest/gtest.h>

namespace restora::ui {
namespace {

using test::waitUntil;

torch::Tensor part(const restora::Image& image, const QRect& region) {
  return rgb_tensor(image, cv::Rect(region.x(), region.y(), region.width(), region.height()));
}

TEST(MetricsOverlay, ShowsTheCoreMetricsOfTheWholePictureAndOfTheVisiblePart) {
  MainWindow window;
  window.resize(1000, 700);
  window.show();
  window.useCheckpoint(test::tinyHinetWeights());
  const QString photo = test::writeTestPhoto("metrics", 160, 128);
  window.openPhoto(photo);
  ASSERT_TRUE(waitUntil([&] { return window.document()->hasPhoto() && !window.restorePanel()->modelId().isEmpty(); }));
  window.runRestoration();
  ASSERT_TRUE(waitUntil([&] { return window.undoStack()->count() == 1; })) << window.lastError().toStdString();
  window.compareView()->controller()->zoomAbout(4.0, QPointF(50, 60));
  window.loadGroundTruth(photo);  // the input itself as ground truth: a second, checkable comparison
  ASSERT_TRUE(waitUntil([&] { return window.document()->groundTruth() && window.metrics()->isIdle(); }));

  const MetricsReport& report = window.metrics()->report();
  const restora::Image& after = *window.document()->state().after;
  const restora::Image& before = *window.document()->state().before;
  ASSERT_TRUE(report.whole_vs_before.valid) << report.whole_vs_before.note.toStdString();
  EXPECT_EQ(report.whole_vs_before.psnr, psnr(rgb_tensor(after), rgb_tensor(before)));
  EXPECT_EQ(report.whole_vs_before.ssim, ssim(rgb_tensor(after), rgb_tensor(before)));
  const QRect visible = window.compareView()->controller()->visiblePixelRect();
  EXPECT_EQ(report.visible, visible);
  EXPECT_LT(visible.width(), 160);  // zoomed in: a part, not the whole
  ASSERT_TRUE(report.visible_vs_before.valid) << report.visible_vs_before.note.toStdString();
  EXPECT_EQ(report.visible_vs_before.psnr, psnr(part(after, visible), part(before, visible)));
  EXPECT_EQ(report.visible_vs_before.ssim, ssim(part(after, visible), part(before, visible)));
  ASSERT_TRUE(report.has_truth);
  EXPECT_EQ(report.whole_vs_truth.psnr, psnr(rgb_tensor(after), rgb_tensor(read_image(photo.toStdString()))));
  EXPECT_TRUE(window.compareView()->overlay()->isVisible());
  EXPECT_TRUE(window.compareView()->overlay()->lines().join('\n').contains(QString::number(report.whole_vs_before.psnr, 'f', 2)));
}

TEST(MetricsOverlay, SaysWhyPicturesOfDifferentSizesHaveNoFigures) {
  restora::Image small;
  small.pixels = cv::Mat::zeros(20, 20, CV_8UC3);
  restora::Image large;
  large.pixels = cv::Mat::zeros(40, 40, CV_8UC3);
  const MetricPair pair = MetricsPresenter::measure(small, large, QRect(0, 0, 20, 20));
  EXPECT_FALSE(pair.valid);
  EXPECT_TRUE(pair.note.contains("sizes differ"));
}

}  // namespace
}  // namespace restora::ui
