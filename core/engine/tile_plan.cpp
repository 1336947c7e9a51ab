#include "engine/tile_plan.h"

#include "nets/size_rule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace restora {
namespace {

int64_t round_down_to_multiple(int64_t size, int64_t multiple) { return (size / multiple) * multiple; }

/// Raised cosine rising over `length` samples, strictly between 0 and 1.
float rising(int64_t i, int64_t length) {
  constexpr double kPi = 3.14159265358979323846;
  return static_cast<float>(0.5 - 0.5 * std::cos(kPi * (static_cast<double>(i) + 0.5) / static_cast<double>(length)));
}

/// Weight at distance `d` from a tile edge that faces a neighbour sharing `overlap` pixels.
float edge_weight(int64_t d, int64_t overlap) {
  const int64_t dead = overlap / 4;
  const int64_t ramp = overlap - 2 * dead;
  if (d < dead) return 0.0F;
  if (d < dead + ramp) return rising(d - dead, ramp);
  return 1.0F;
}

}  // namespace

AxisTiles plan_axis(int64_t image_size, int64_t tile, int64_t overlap, int64_t multiple, int64_t begin) {
  if (image_size < 1 || tile < 0 || overlap < 0 || multiple < 1 || begin < 0 || begin % multiple != 0)
    throw std::invalid_argument("plan_axis: invalid sizes");
  AxisTiles axis;
  axis.image_size = image_size;
  axis.canvas_size = round_up_to_multiple(image_size, multiple);
  if (begin >= axis.canvas_size) throw std::invalid_argument("plan_axis: begin beyond the canvas");
  axis.begin = begin;
  axis.open_begin = begin > 0;
  const int64_t span = axis.canvas_size - begin;
  axis.tile = tile == 0 ? span : std::min(round_up_to_multiple(tile, multiple), span);
  axis.overlap = std::min(overlap, axis.tile / 2);
  if (axis.tile == span) {
    axis.starts = {begin};
    return axis;
  }
  // Starts are multiples of `multiple`; the largest step that keeps the overlap is the stride.
  const auto steps_for = [&](int64_t tile_length) {
    const int64_t stride = std::max(multiple, round_down_to_multiple(tile_length - axis.overlap, multiple));
    return ((span - tile_length) + stride - 1) / stride;
  };
  const int64_t steps = steps_for(axis.tile);
  // The fewest tiles, each only as long as that count needs: a 1024-px canvas in 512-px tiles
  // (overlap 32) takes 3, and 3 x 368 px cover it, where 3 x 512 px would run the network on 1.5x
  // the pixels of the axis instead of 1.08x. Never below twice the overlap, so it stays as planned.
  while (axis.tile - multiple >= std::max(multiple, 2 * axis.overlap) && steps_for(axis.tile - multiple) == steps)
    axis.tile -= multiple;
  const int64_t travel = (span - axis.tile) / multiple;  // in units of `multiple`
  for (int64_t i = 0; i <= steps; ++i) axis.starts.push_back(begin + (i * travel / steps) * multiple);
  return axis;
}

TileGrid plan_tiles(int64_t height, int64_t width, int64_t tile, int64_t overlap, int64_t multiple) {
  return {plan_axis(height, tile, overlap, multiple), plan_axis(width, tile, overlap, multiple)};
}

std::vector<float> blend_window(const AxisTiles& axis, size_t k, int64_t scale) {
  const int64_t length = axis.tile * scale;
  const int64_t overlap = axis.overlap * scale;
  const bool before = k > 0 || axis.open_begin;
  const bool after = k + 1 < axis.count();
  std::vector<float> window(static_cast<size_t>(length), 1.0F);
  for (int64_t i = 0; i < length; ++i) {
    float w = 1.0F;
    if (before) w *= edge_weight(i, overlap);
    if (after) w *= edge_weight(length - 1 - i, overlap);
    window[static_cast<size_t>(i)] = w;
  }
  return window;
}

std::vector<float> window_sum(const AxisTiles& axis, int64_t scale) {
  std::vector<float> sum(static_cast<size_t>((axis.canvas_size - axis.begin) * scale), 0.0F);
  for (size_t k = 0; k < axis.count(); ++k) {
    const std::vector<float> window = blend_window(axis, k, scale);
    const int64_t offset = (axis.starts[k] - axis.begin) * scale;
    for (size_t i = 0; i < window.size(); ++i) sum[static_cast<size_t>(offset) + i] += window[i];
  }
  return sum;
}

std::pair<int64_t, int64_t> owned_span(const AxisTiles& axis, size_t k, int64_t scale) {
  const int64_t image_end = axis.image_size * scale;
  const int64_t first = k == 0 ? axis.begin * scale : (axis.starts[k] + axis.end_of(k - 1)) * scale / 2;
  const int64_t last = k + 1 == axis.count() ? image_end : (axis.starts[k + 1] + axis.end_of(k)) * scale / 2;
  return {std::min(first, image_end), std::min(last, image_end)};
}

int64_t source_index(int64_t x, int64_t image_size, bool reflect_end) {
  if (x >= 0 && x < image_size) return x;
  if (x < 0) return -x < image_size ? -x : 0;
  const int64_t mirrored = 2 * (image_size - 1) - x;
  return reflect_end && mirrored >= 0 ? mirrored : image_size - 1;
}

bool canvas_reflects(int64_t height, int64_t width, int64_t multiple) {
  return round_up_to_multiple(height, multiple) - height < height &&
         round_up_to_multiple(width, multiple) - width < width;
}

}  // namespace restora
