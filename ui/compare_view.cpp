#include "compare_view.h"

#include "background.h"
#include "heat_map.h"
#include "image_pane.h"
#include "metrics_overlay.h"
#include "scaled_views.h"
#include "view_controller.h"

#include <QHBoxLayout>

namespace restora::ui {

CompareView::CompareView(QWidget* parent)
    : QWidget(parent),
      controller_(new ViewController(this)),
      first_(new ImagePane(controller_, this)),
      second_(new ImagePane(controller_, this)),
      overlay_(new MetricsOverlay(this)) {
  setObjectName(QStringLiteral("compareView"));
  first_->setObjectName(QStringLiteral("firstPane"));
  second_->setObjectName(QStringLiteral("secondPane"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(first_, 1);
  layout->addWidget(second_, 1);
  first_->setDrivesViewSize(true);
  overlay_->raise();
  refresh();
}

void CompareView::setState(const ImageState& state) {
  state_ = state;
  preview_.reset();
  controller_->setImageSize(state_.after_views ? state_.after_views->size() : QSize());
  refresh();
}

void CompareView::beginPreview(std::shared_ptr<ScaledViews> canvas) {
  if (!canvas) return;
  preview_ = std::move(canvas);
  controller_->setImageSize(preview_->size());  // unchanged unless the model super-resolves
  refresh();
}

void CompareView::previewTile(const TilePyramid& tile) {
  if (!preview_) return;
  preview_->paste(tile);
  const QRect& region = tile.region;
  // Only where the tile shows, in the pane that shows the after picture, is painted again.
  const QRect shown = QRectF(controller_->mapToView(region.topLeft()), controller_->mapToView(region.bottomRight() + QPoint(1, 1)))
                          .toAlignedRect()
                          .adjusted(-1, -1, 1, 1);
  if (mode_ == CompareMode::SideBySide) second_->update(shown);
  else if (mode_ == CompareMode::Split || (mode_ == CompareMode::Toggle && showing_after_)) first_->update(shown);
}

void CompareView::endPreview() {
  if (preview_) setState(state_);
}

std::shared_ptr<const ScaledViews> CompareView::afterViews() const {
  return preview_ ? std::shared_ptr<const ScaledViews>(preview_) : state_.after_views;
}

void CompareView::setMode(CompareMode mode) {
  if (mode == mode_) return;
  mode_ = mode;
  refresh();
  Q_EMIT modeChanged(mode_);
}

void CompareView::flipShown() {
  showing_after_ = !showing_after_;
  if (mode_ != CompareMode::Toggle) setMode(CompareMode::Toggle);
  refresh();
}

void CompareView::refresh() {
  const QString before = tr("Before");
  const QString after = tr("After");
  second_->setVisible(mode_ == CompareMode::SideBySide);
  first_->setSplitPicture(nullptr, {});
  first_->setLegend(false);
  switch (mode_) {
    case CompareMode::SideBySide:
      first_->setPicture(state_.before_views, before);
      second_->setPicture(afterViews(), after);
      break;
    case CompareMode::Split:
      first_->setPicture(state_.before_views, before);
      first_->setSplitPicture(afterViews(), after);
      break;
    case CompareMode::Toggle:
      first_->setPicture(showing_after_ ? afterViews() : state_.before_views, showing_after_ ? after : before);
      break;
    case CompareMode::Difference:
      requestDifference();
      first_->setPicture(difference_of_ == state_.after_views ? difference_ : nullptr, tr("Difference"));
      first_->setLegend(true, kAmplification);
      break;
  }
  placeOverlay();
}

void CompareView::requestDifference() {
  if (!state_.after_views || difference_of_ == state_.after_views || difference_pending_) return;
  difference_pending_ = true;
  const auto before = state_.before_views;
  const auto after = state_.after_views;
  runInBackground<std::shared_ptr<const ScaledViews>>(
      this,
      [before, after]() {
        return std::make_shared<const ScaledViews>(differenceHeatMap(before->full(), after->full(), kAmplification));
      },
      [this, after](const Outcome<std::shared_ptr<const ScaledViews>>& outcome) {
        difference_pending_ = false;
        if (outcome.value) {
          difference_ = *outcome.value;
          difference_of_ = after;
        }
        if (mode_ == CompareMode::Difference) refresh();  // also asks again when the state moved on meanwhile
      });
}

void CompareView::resizeEvent(QResizeEvent*) { placeOverlay(); }

void CompareView::placeOverlay() {
  overlay_->move(12, 12);
  overlay_->raise();
}

}  // namespace restora::ui
