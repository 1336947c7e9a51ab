#include "scaled_views.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace restora::ui {
namespace {
constexpr int kSmallestLevel = 256;  // stop halving once the longer side is this small
}

ScaledViews::ScaledViews(QImage full) {
  levels_.push_back(std::move(full));
  while (std::max(levels_.back().width(), levels_.back().height()) > kSmallestLevel) {
    const QImage& last = levels_.back();
    // Each level from the previous one: a 2x box reduction is what SmoothTransformation does here.
    levels_.push_back(last.scaled(std::max(1, last.width() / 2), std::max(1, last.height() / 2), Qt::IgnoreAspectRatio,
                                  Qt::SmoothTransformation));
  }
}

std::int64_t ScaledViews::bytes() const {
  std::int64_t total = 0;
  for (const QImage& level : levels_) total += level.sizeInBytes();
  return total;
}

const QImage& ScaledViews::levelFor(double scale) const {
  std::size_t level = 0;
  double level_scale = 1.0;  // size of this level relative to the full image
  while (level + 1 < levels_.size() && level_scale / 2.0 >= scale) {
    ++level;
    level_scale /= 2.0;
  }
  return levels_[level];
}

void ScaledViews::paint(QPainter& painter, const QRectF& target, const QRectF& region, QSize logical,
                        double scale) const {
  if (logical.isEmpty() || region.isEmpty()) return;
  // `scale` is screen pixels per logical pixel; per pixel of ours it is scale * logical / ours.
  const double own_per_logical = double(size().width()) / logical.width();
  const QImage& level = levelFor(scale / own_per_logical);
  const double fx = double(level.width()) / logical.width();
  const double fy = double(level.height()) / logical.height();
  const QRectF source(region.x() * fx, region.y() * fy, region.width() * fx, region.height() * fy);
  painter.setRenderHint(QPainter::SmoothPixmapTransform, scale * own_per_logical < 1.0 || fx < 1.0);
  painter.drawImage(target, level, source);
}

std::vector<QSize> ScaledViews::levelSizes() const {
  std::vector<QSize> sizes;
  for (const QImage& level : levels_) sizes.push_back(level.size());
  return sizes;
}

TilePyramid ScaledViews::tilePyramid(const std::vector<QSize>& level_sizes, const QRect& region, const QImage& pixels) {
  TilePyramid tile;
  tile.region = region;
  if (level_sizes.empty() || pixels.isNull()) return tile;
  const QSize full = level_sizes.front();
  QImage source = pixels.convertToFormat(QImage::Format_ARGB32_Premultiplied);
  for (const QSize& size : level_sizes) {
    // Edges rounded the same way for every tile, so neighbouring tiles meet without gaps.
    const auto edge = [](int at, int level, int whole) { return int(std::lround(double(at) * level / whole)); };
    const QRect target(QPoint(edge(region.left(), size.width(), full.width()), edge(region.top(), size.height(), full.height())),
                       QPoint(edge(region.left() + region.width(), size.width(), full.width()) - 1,
                              edge(region.top() + region.height(), size.height(), full.height()) - 1));
    if (target.isEmpty()) break;  // smaller levels have nothing of this tile either
    // Each level from the one above, as the levels themselves are made.
    if (source.size() != target.size())
      source = source.scaled(target.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                   .convertToFormat(QImage::Format_ARGB32_Premultiplied);
    tile.targets.push_back(target);
    tile.levels.push_back(source);
  }
  return tile;
}

void ScaledViews::paste(const TilePyramid& tile) {
  for (std::size_t level = 0; level < tile.levels.size() && level < levels_.size(); ++level) {
    QPainter painter(&levels_[level]);
    painter.setCompositionMode(QPainter::CompositionMode_Source);
    painter.drawImage(tile.targets[level].topLeft(), tile.levels[level]);
  }
}

ScaledViews ScaledViews::previewCanvas(const ScaledViews& picture, QSize size) {
  // A painter needs a format it can draw into; ARGB32 premultiplied is the raster engine's own.
  QImage canvas = size == picture.size() ? picture.full().convertToFormat(QImage::Format_ARGB32_Premultiplied)
                                         : picture.levelFor(1.0).scaled(size, Qt::IgnoreAspectRatio,
                                                                        Qt::SmoothTransformation)
                                               .convertToFormat(QImage::Format_ARGB32_Premultiplied);
  {
    QPainter painter(&canvas);
    painter.fillRect(canvas.rect(), QColor(0, 0, 0, 120));
  }
  return ScaledViews(std::move(canvas));
}

}  // namespace restora::ui
