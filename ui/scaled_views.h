#pragma once
#include <QImage>
#include <QRectF>

#include <cstdint>
#include <vector>

class QPainter;

namespace restora::ui {

/// A finished tile scaled to every level of a preview canvas (made off the GUI thread), so that
/// putting it in is a plain copy per level.
struct TilePyramid {
  QRect region;                ///< in full-image pixels
  std::vector<QRect> targets;  ///< per level, where the level's image goes
  std::vector<QImage> levels;  ///< per level, in the canvas format
};

/// A display image and its half, quarter, ... reductions, made once per image (off the GUI
/// thread) so that a repaint only scales the visible part of the level nearest the zoom.
class ScaledViews {
 public:
  explicit ScaledViews(QImage full);

  const QImage& full() const { return levels_.front(); }
  QSize size() const { return levels_.front().size(); }
  int levelCount() const { return static_cast<int>(levels_.size()); }
  /// Memory all levels take.
  std::int64_t bytes() const;

  /// The smallest level that still has at least one pixel per screen pixel at `scale`
  /// (screen pixels per full-image pixel).
  const QImage& levelFor(double scale) const;

  /// Paints the part `region` (in the coordinates of an image of `logical` size, which may differ
  /// from ours: a before picture drawn under a super-resolved after) into `target`.
  void paint(QPainter& painter, const QRectF& target, const QRectF& region, QSize logical, double scale) const;

  std::vector<QSize> levelSizes() const;

  /// `pixels`, belonging at `region` (full-image pixels), scaled for every level of a canvas with
  /// `level_sizes`: the scaling work of a tile, for a worker thread.
  static TilePyramid tilePyramid(const std::vector<QSize>& level_sizes, const QRect& region, const QImage& pixels);
  /// Copies a tile made by tilePyramid() for this canvas into every level: how a restoration in
  /// progress fills its preview tile by tile, on the GUI thread (no scaling, no conversion).
  void paste(const TilePyramid& tile);

  /// The canvas a restoration in progress is painted into: `picture` scaled to `size` (a
  /// super-resolved output is larger) and dimmed, so the finished tiles stand out. Off the GUI
  /// thread: it copies every level.
  static ScaledViews previewCanvas(const ScaledViews& picture, QSize size);

 private:
  std::vector<QImage> levels_;
};

}  // namespace restora::ui
