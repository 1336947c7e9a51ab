#pragma once
// Pure tiling arithmetic: where the tiles go along each axis, how their overlaps blend, which
// source pixel a coordinate beyond the image reads. No tensors of images, no threads.
#include <cstdint>
#include <utility>
#include <vector>

namespace restora {

/// The tiles along one axis, in pixels of the network's input.
///
/// The whole-image path runs the network on the image padded on the right/bottom to its size
/// multiple (the "canvas"); the tiles cover exactly that canvas, so that a network without
/// image-wide operations gives the same result tiled as whole. Every start and every tile length
/// is a multiple of the size multiple.
struct AxisTiles {
  int64_t image_size = 0;       ///< real pixels along the axis
  int64_t canvas_size = 0;      ///< image_size rounded up to the size multiple
  int64_t tile = 0;             ///< length of every tile (<= the canvas after `begin`)
  int64_t overlap = 0;          ///< planned overlap: neighbours share at least this much
  int64_t begin = 0;            ///< where the planned span starts (0, or a restart row)
  bool open_begin = false;      ///< an earlier tile overlaps the first one from before `begin`
  std::vector<int64_t> starts;  ///< tile starts, increasing; the last tile ends at canvas_size

  size_t count() const { return starts.size(); }
  int64_t end_of(size_t k) const { return starts.at(k) + tile; }
};

/// Plans one axis of [begin, canvas) for an image of `image_size`: tiles of at most `tile` pixels
/// (rounded up to `multiple`, shrunk to the span when larger; 0 means the whole span), sharing at
/// least `overlap` pixels (at most half a tile) with each neighbour, as few as possible, evenly
/// spread, and each shortened (in steps of `multiple`, not below twice the overlap) as far as that
/// count of tiles allows, so that the network runs on as few extra pixels as possible.
/// `begin` must be a multiple of `multiple`; a non-zero one marks `open_begin`.
AxisTiles plan_axis(int64_t image_size, int64_t tile, int64_t overlap, int64_t multiple, int64_t begin = 0);

/// A grid of tiles: rows x columns.
struct TileGrid {
  AxisTiles rows;
  AxisTiles columns;
  size_t count() const { return rows.count() * columns.count(); }
};

TileGrid plan_tiles(int64_t height, int64_t width, int64_t tile, int64_t overlap, int64_t multiple);

/// The blend window of tile k along the axis, in OUTPUT pixels (`scale` per input pixel),
/// `tile * scale` long. Towards a neighbour: zero over the outer quarter of the overlap (the
/// pixels that miss the most context), a raised cosine over the middle half, one inside; one up to
/// the edges of the image. Weights are normalised by their sum over all tiles when blended, which
/// keeps a constant image constant and is positive everywhere the image is.
std::vector<float> blend_window(const AxisTiles& axis, size_t k, int64_t scale);

/// Sum over all tiles of blend_window() at every output pixel of [begin*scale, canvas*scale).
std::vector<float> window_sum(const AxisTiles& axis, int64_t scale);

/// The output pixels [first, last) that tile k owns: from the middle of its overlap with the
/// previous tile to the middle of the one with the next, clipped to the image. The owned spans
/// of all tiles partition [begin*scale, image_size*scale).
std::pair<int64_t, int64_t> owned_span(const AxisTiles& axis, size_t k, int64_t scale);

/// The image pixel that coordinate x reads, for any x: itself inside the image; beyond the end,
/// a reflection (edge pixel excluded) when `reflect_end` and one fits, else the edge pixel (as
/// pad_to_multiple does: it reflects only when both axes' padding is shorter than the image);
/// before the start, a reflection where one fits, else pixel 0.
int64_t source_index(int64_t x, int64_t image_size, bool reflect_end);

/// Whether pad_to_multiple reflects an image of this size (else it replicates the edge).
bool canvas_reflects(int64_t height, int64_t width, int64_t multiple);

}  // namespace restora
