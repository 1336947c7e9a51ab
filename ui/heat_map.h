#pragma once
#include <QColor>
#include <QImage>

namespace restora::ui {

/// The heat-map colour of t in [0, 1]: black, violet, red, yellow, white (readable on light and
/// dark palettes, and monotonic in brightness so it also reads in gray).
QColor heatColour(double t);

/// Amplified absolute difference of two display images: per pixel the largest channel
/// difference times `amplification`, clipped to 255, through heatColour. `before` is scaled to
/// `after`'s size first when they differ (super-resolution). Format_RGB32.
QImage differenceHeatMap(const QImage& before, const QImage& after, double amplification);

}  // namespace restora::ui
