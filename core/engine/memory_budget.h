#pragma once
// How much memory a tile costs and how large a tile fits a budget. Activations are measured once
// per network, two ways: LibTorch's per-thread memory reporting (every CPU tensor a forward
// allocates) and the process's resident-set growth (which also sees oneDNN's own buffers and the
// heap's fragmentation, 4-6x more for MPRNet); the larger, extrapolated to the tile, counts. The
// first adds the convolutions' own per-thread buffers and scratchpad, measured with them.
#include "engine/restorer.h"
#include "nets/restoration_network.h"

#include <torch/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace restora {

/// Bytes of one forward as a function of the tile's input pixels p: fixed + per_pixel * p, plus the
/// convolutions' working memory, or the resident-set model where that is larger.
struct MemoryModel {
  double fixed_bytes = 0.0;
  double bytes_per_pixel = 0.0;
  double buffer_bytes_per_pixel = 0.0;   ///< the convolutions' per-thread reorder buffers
  double scratch_bytes_per_pixel = 0.0;  ///< their scratchpad (Winograd's is large; capped at 256 MiB)
  double bytes_per_pixel_squared = 0.0;  ///< the network's analytic quadratic term (SSEN's attention)
  /// The process's measured resident-set growth in a forward, fixed + per pixel (0 where it cannot
  /// be measured): it also counts oneDNN's own buffers and the heap's fragmentation, which
  /// LibTorch's reports miss. The larger of the two models counts.
  double resident_fixed_bytes = 0.0;
  double resident_bytes_per_pixel = 0.0;
  /// Peak bytes of one forward on an h x w input (activations, oneDNN buffers, Winograd scratch).
  double forward_bytes(int64_t height, int64_t width) const;
};

/// Measures `network` (on the CPU, with its current convolution policy) at two small sizes, and
/// the process's resident-set growth (Linux) at the larger one and at 256 px of output, or at less
/// where the process would outgrow `budget_bytes` (> 0) at 256 px. Cached per network object (the
/// first call's budget decides); thread-safe. Throws what the forward throws.
MemoryModel memory_model(RestorationNetworkImpl& network, int64_t budget_bytes = 0);

/// The default overlap (network-input pixels) for a model: see docs/TILING.md.
int64_t default_overlap(const ModelTraits& traits);

/// Bytes of the blend band and one tile row's sums for `tile`-px tiles (network input) of a stage
/// with an output `out_width` wide, upscaling by `scale`.
double blend_band_bytes(int64_t out_width, int64_t tile, int64_t scale);

/// The process's resident set now, after handing freed heap back to the system (0 where it cannot
/// be read): the libraries, the weights and the decoded photos a job starts with.
double resident_bytes_now();

/// The largest tile side (a multiple of the size multiple, at least one multiple) for which
/// `held_bytes` (what is resident or will be allocated besides the forward: the process so far,
/// the output image, a chain's float intermediate, a reference) + the blend band + one forward
/// fit `budget_bytes`, for a network input of in_height x in_width. Throws Error(BadUsage) when
/// even the smallest tile does not fit, naming what the job needs.
int64_t largest_tile(RestorationNetworkImpl& network, int64_t budget_bytes, int64_t in_height, int64_t in_width,
                     double held_bytes);

/// MemAvailable of /proc/meminfo in bytes; unset where it cannot be read (not Linux).
std::optional<int64_t> available_memory();

/// Physical RAM in bytes.
int64_t physical_memory();

/// "1.5G", "800M", "2048K", "123456" (bytes) -> bytes; throws Error(BadUsage) naming `option`.
int64_t parse_memory_size(const std::string& text, const std::string& option);

/// 1610612736 -> "1.5 GiB".
std::string describe_bytes(double bytes);

}  // namespace restora
