#include "heat_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace restora::ui {

QColor heatColour(double t) {
  struct Stop {
    double at, r, g, b;
  };
  static constexpr std::array<Stop, 5> stops{{{0.0, 0, 0, 0},
                                              {0.3, 0.45, 0.05, 0.6},
                                              {0.6, 0.9, 0.2, 0.15},
                                              {0.85, 1.0, 0.85, 0.1},
                                              {1.0, 1.0, 1.0, 1.0}}};
  t = std::clamp(t, 0.0, 1.0);
  std::size_t upper = 1;
  while (upper + 1 < stops.size() && stops[upper].at < t) ++upper;
  const Stop& a = stops[upper - 1];
  const Stop& b = stops[upper];
  const double f = (t - a.at) / (b.at - a.at);
  return QColor::fromRgbF(float(a.r + (b.r - a.r) * f), float(a.g + (b.g - a.g) * f), float(a.b + (b.b - a.b) * f));
}

QImage differenceHeatMap(const QImage& before, const QImage& after, double amplification) {
  if (before.isNull() || after.isNull()) return {};
  const QImage first = (before.size() == after.size() ? before : before.scaled(after.size(), Qt::IgnoreAspectRatio,
                                                                                Qt::SmoothTransformation))
                           .convertToFormat(QImage::Format_RGB32);
  const QImage second = after.convertToFormat(QImage::Format_RGB32);
  std::array<QRgb, 256> colours{};
  for (int level = 0; level < 256; ++level)
    colours[std::size_t(level)] = heatColour(std::min(1.0, level * amplification / 255.0)).rgb();
  QImage map(second.size(), QImage::Format_RGB32);
  for (int y = 0; y < map.height(); ++y) {
    const auto* a = reinterpret_cast<const QRgb*>(first.constScanLine(y));
    const auto* b = reinterpret_cast<const QRgb*>(second.constScanLine(y));
    auto* out = reinterpret_cast<QRgb*>(map.scanLine(y));
    for (int x = 0; x < map.width(); ++x) {
      const int difference = std::max({std::abs(qRed(a[x]) - qRed(b[x])), std::abs(qGreen(a[x]) - qGreen(b[x])),
                                        std::abs(qBlue(a[x]) - qBlue(b[x]))});
      out[x] = colours[std::size_t(difference)];
    }
  }
  return map;
}

}  // namespace restora::ui
