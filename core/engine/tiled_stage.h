#pragma once
// One network over one image, tile by tile: read each tile (with the canvas padding of the
// whole-image path), run the network (optionally as a x8 self-ensemble), blend the overlaps with
// normalised windows, and hand the finished rows to the sink as soon as no later tile touches them.
#include "engine/job.h"
#include "engine/tile_plan.h"
#include "engine/tile_source.h"

#include <torch/types.h>

#include <functional>
#include <string>

namespace restora {

/// What one stage runs and how.
struct StageSettings {
  int64_t tile = 0;        ///< 0: the whole image as one tile
  int64_t overlap = 0;
  bool ensemble = false;
  bool dual_pixel = false; ///< ensemble flips swap the two views instead of rotating
  torch::Device device = torch::kCPU;
  torch::ScalarType autocast = torch::kFloat;  ///< kHalf/kBFloat16: run the network under autocast
  int64_t smallest_tile = 0;  ///< below this an allocation failure is final (0: the size multiple)
};

/// A finished tile of a stage and the stage's progress after it.
struct StageTile {
  PixelRect owned;        ///< output pixels this tile owns (the owned rects partition the output)
  torch::Tensor rgb;      ///< [1, 3, owned.height, owned.width]: the tile's own result there
  double fraction = 0.0;  ///< of the stage's output owned by finished tiles: never decreasing, 1 at the end
  int64_t tiles_done = 0;
  int64_t tiles_total = 0;  ///< finished + still planned (changes when the tile shrinks)
  int64_t tile = 0;         ///< tile side in use
};

/// Callbacks of a stage; all optional.
struct StageHooks {
  /// Before every tile: true stops the stage with Error(Failed, "cancelled").
  std::function<bool()> cancelled;
  /// After every tile: its result over the output pixels it owns and where the stage stands.
  std::function<void(const StageTile& tile)> tile_done;
  /// Allocation failure: the tile side is now `tile` (the planned grid was replaced).
  std::function<void(int64_t tile, const std::string& reason)> tile_shrunk;
  /// Test seam: called before each network forward with the tile's input; may throw.
  std::function<void(const torch::Tensor& input)> before_forward;
};

/// Runs `network` over `input` (its pixels are the network's input: already concatenated and
/// upscaled as the model needs) into `sink` at `network.internal_scale()`. `reference`, for
/// networks that take one, is the reference at internal_scale() x the input's size. An allocation
/// failure (std::bad_alloc, a LibTorch out-of-memory error) halves the tile and goes on from the
/// tile row that failed, keeping every finished row. Throws restora::Error.
void run_tiled_stage(RestorationNetworkImpl& network, const TileSource& input, const TileSource* reference,
                     TileSink& sink, const StageSettings& settings, const StageHooks& hooks = {});

/// The network's output for one input tile [1, C, h, w] on the settings' device and precision,
/// averaged over the self-ensemble when asked: [1, 3, h * s, w * s] float32 on the CPU.
torch::Tensor forward_tile(RestorationNetworkImpl& network, const torch::Tensor& input,
                           const torch::Tensor& reference, const StageSettings& settings);

/// Whether an exception is an allocation failure that a smaller tile may avoid.
bool is_allocation_failure(const std::exception& error);

}  // namespace restora
