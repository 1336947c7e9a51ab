#pragma once
#include "image_state.h"

#include <QWidget>

#include <memory>

namespace restora::ui {

class ImagePane;
class MetricsOverlay;
class ScaledViews;
struct TilePyramid;
class ViewController;

enum class CompareMode { SideBySide, Split, Toggle, Difference };

/// Before and after of the open photo in one of four modes: two panes side by side, one pane with
/// a split divider, one pane flipping between before and after, or an amplified difference heat
/// map. All panes paint through one ViewController, so zoom and pan always agree.
class CompareView : public QWidget {
  Q_OBJECT

 public:
  explicit CompareView(QWidget* parent = nullptr);

  ViewController* controller() const { return controller_; }
  ImagePane* firstPane() const { return first_; }
  ImagePane* secondPane() const { return second_; }
  MetricsOverlay* overlay() const { return overlay_; }

  /// Shows `state`; ends a preview.
  void setState(const ImageState& state);

  /// While a restoration runs, the after picture is `canvas` (ScaledViews::previewCanvas), filled
  /// tile by tile through previewTile(); setState() or endPreview() puts the state's picture back.
  void beginPreview(std::shared_ptr<ScaledViews> canvas);
  void previewTile(const TilePyramid& tile);
  void endPreview();
  bool isPreviewing() const { return static_cast<bool>(preview_); }
  /// What the after pane shows: the preview canvas while one runs, else the state's picture.
  std::shared_ptr<const ScaledViews> afterViews() const;
  void setMode(CompareMode mode);
  CompareMode mode() const { return mode_; }
  /// Toggle mode: flips between before and after.
  void flipShown();
  bool showingAfter() const { return showing_after_; }
  /// Whether the difference map of the current state is made (it is computed off the GUI thread).
  bool differenceReady() const { return difference_ && difference_of_ == state_.after_views; }

  /// How much the difference map amplifies |after - before|.
  static constexpr double kAmplification = 4.0;

 Q_SIGNALS:
  void modeChanged(restora::ui::CompareMode mode);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void refresh();
  void requestDifference();
  void placeOverlay();

  ViewController* controller_;
  ImagePane* first_;
  ImagePane* second_;
  MetricsOverlay* overlay_;
  ImageState state_;
  std::shared_ptr<ScaledViews> preview_;
  CompareMode mode_ = CompareMode::SideBySide;
  bool showing_after_ = true;
  std::shared_ptr<const ScaledViews> difference_;
  std::shared_ptr<const ScaledViews> difference_of_;  ///< the after views the map was made for
  bool difference_pending_ = false;
};

}  // namespace restora::ui
