#include "engine/tiled_stage.h"

#include "common/error.h"
#include "nets/blocks/onednn_conv.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <optional>

namespace restora {
namespace {

/// Self-ensemble member k of [1, C, H, W]: k % 4 quarter turns after a horizontal flip when
/// k >= 4. Dual-pixel (k < 4): horizontal flip (which swaps the two views, since left and right
/// trade places in a mirror) and/or vertical flip; no turns, the views' disparity is horizontal.
torch::Tensor to_member(const torch::Tensor& x, int k, bool dual_pixel) {
  if (dual_pixel) {
    torch::Tensor y = x;
    if ((k & 1) != 0) {
      y = y.flip({3});
      if (y.size(1) == 6) y = torch::cat({y.slice(1, 3, 6), y.slice(1, 0, 3)}, 1);
    }
    if ((k & 2) != 0) y = y.flip({2});
    return y;
  }
  torch::Tensor y = k >= 4 ? x.flip({3}) : x;
  return (k % 4) == 0 ? y : torch::rot90(y, k % 4, {2, 3});
}

/// Undoes to_member on a 3-channel output.
torch::Tensor from_member(const torch::Tensor& y, int k, bool dual_pixel) {
  if (dual_pixel) {
    torch::Tensor x = y;
    if ((k & 2) != 0) x = x.flip({2});
    if ((k & 1) != 0) x = x.flip({3});
    return x;
  }
  torch::Tensor x = (k % 4) == 0 ? y : torch::rot90(y, -(k % 4), {2, 3});
  return k >= 4 ? x.flip({3}) : x;
}

/// The precision for this thread while alive: CUDA autocast (its state is thread-local); on the
/// CPU bf16 convolutions (onednn_conv.h), everything else in float as the speed issue asks.
class AutocastScope {
 public:
  AutocastScope(torch::Device device, torch::ScalarType dtype) : active_(dtype != torch::kFloat), cuda_(device.is_cuda()) {
    if (active_ && !cuda_ && dtype == torch::kBFloat16) {
      bf16_convolutions_.emplace(ConvPrecision::bf16);
      active_ = false;
    }
    if (!active_) return;
    if (cuda_) {
      previous_ = at::autocast::is_enabled();
      at::autocast::set_autocast_gpu_dtype(dtype);
      at::autocast::set_enabled(true);
    } else {
      previous_ = at::autocast::is_cpu_enabled();
      at::autocast::set_autocast_cpu_dtype(dtype);
      at::autocast::set_cpu_enabled(true);
    }
  }
  ~AutocastScope() {
    if (!active_) return;
    if (cuda_)
      at::autocast::set_enabled(previous_);
    else
      at::autocast::set_cpu_enabled(previous_);
    at::autocast::clear_cache();
  }
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_;
  bool cuda_;
  bool previous_ = false;
  std::optional<ConvPrecisionScope> bf16_convolutions_;
};

torch::Tensor run_network(RestorationNetworkImpl& network, const torch::Tensor& input, const torch::Tensor& reference) {
  if (network.takes_reference())
    return network.forward_stages_with_reference(input, reference).at(network.final_index());
  return network.forward(input);
}

torch::Tensor as_tensor(const std::vector<float>& values) {
  return torch::from_blob(const_cast<float*>(values.data()), {static_cast<int64_t>(values.size())}, torch::kFloat).clone();
}

int64_t round_down(int64_t size, int64_t multiple) { return (size / multiple) * multiple; }

}  // namespace

bool is_allocation_failure(const std::exception& error) {
  if (dynamic_cast<const std::bad_alloc*>(&error) != nullptr) return true;
  if (dynamic_cast<const Error*>(&error) != nullptr) return false;
  const char* what = error.what();
  return std::strstr(what, "out of memory") != nullptr || std::strstr(what, "not enough memory") != nullptr ||
         std::strstr(what, "Failed to allocate") != nullptr;
}

torch::Tensor forward_tile(RestorationNetworkImpl& network, const torch::Tensor& input, const torch::Tensor& reference,
                           const StageSettings& settings) {
  const torch::Tensor x = input.to(settings.device);
  const torch::Tensor ref = reference.defined() ? reference.to(settings.device) : reference;
  AutocastScope autocast(settings.device, settings.autocast);
  if (!settings.ensemble) return run_network(network, x, ref).to(torch::kFloat).to(torch::kCPU);
  const int members = settings.dual_pixel ? 4 : 8;
  torch::Tensor sum;
  for (int k = 0; k < members; ++k) {
    const torch::Tensor member_ref = ref.defined() ? to_member(ref, k, settings.dual_pixel) : ref;
    const torch::Tensor y =
        from_member(run_network(network, to_member(x, k, settings.dual_pixel), member_ref), k, settings.dual_pixel)
            .to(torch::kFloat);
    sum = sum.defined() ? sum + y : y;
  }
  return (sum / members).to(torch::kCPU);
}

void run_tiled_stage(RestorationNetworkImpl& network, const TileSource& input, const TileSource* reference,
                     TileSink& sink, const StageSettings& settings, const StageHooks& hooks) {
  const int64_t multiple = network.size_multiple();
  const int64_t scale = network.internal_scale();
  const int64_t margin = network.reference_margin();
  if (network.takes_reference() && reference == nullptr)
    throw Error(ErrorKind::BadUsage, "this reference-based model needs a reference image as well");
  const int64_t out_height = input.height() * scale;
  const int64_t out_width = input.width() * scale;
  const bool reflect = canvas_reflects(input.height(), input.width(), multiple);
  const int64_t smallest = std::max(multiple, settings.smallest_tile);

  int64_t tile = settings.tile;
  int64_t begin_row = 0;       // input row the current plan starts at (a restart after a failure)
  int64_t finalized = 0;       // output rows already in the sink
  int64_t owned_until = 0;     // output rows owned by committed tile rows (for the fraction)
  int64_t tiles_done = 0;
  double last_fraction = 0.0;
  torch::Tensor band = torch::zeros({1, 4, 0, out_width});  // weighted sums (3) and weights (1)

  for (;;) {
    const AxisTiles rows = plan_axis(input.height(), tile, settings.overlap, multiple, begin_row);
    const AxisTiles columns = plan_axis(input.width(), tile, settings.overlap, multiple);
    const int64_t tiles_total = tiles_done + static_cast<int64_t>(rows.count() * columns.count());
    std::vector<torch::Tensor> column_windows;
    for (size_t c = 0; c < columns.count(); ++c) column_windows.push_back(as_tensor(blend_window(columns, c, scale)));
    bool restarted = false;
    for (size_t r = 0; r < rows.count() && !restarted; ++r) {
      const int64_t y0 = rows.starts[r] * scale;
      const int64_t y1 = std::min(rows.end_of(r) * scale, out_height);
      const auto [own_top, own_bottom] = owned_span(rows, r, scale);
      const torch::Tensor row_window = as_tensor(blend_window(rows, r, scale)).slice(0, 0, y1 - y0).unsqueeze(1);
      torch::Tensor row_sums = torch::zeros({1, 4, y1 - y0, out_width});
      int64_t row_tiles = 0;
      int64_t row_owned_columns = 0;
      try {
        for (size_t c = 0; c < columns.count(); ++c) {
          if (hooks.cancelled && hooks.cancelled()) throw Error(ErrorKind::Failed, "cancelled");
          const PixelRect rect{columns.starts[c], rows.starts[r], columns.tile, rows.tile};
          const torch::Tensor tile_input = input.read(rect, reflect);
          torch::Tensor tile_reference;
          if (network.takes_reference())
            tile_reference = reference->read({(rect.x - margin) * scale, (rect.y - margin) * scale,
                                              (rect.width + 2 * margin) * scale, (rect.height + 2 * margin) * scale},
                                             reflect);
          if (hooks.before_forward) hooks.before_forward(tile_input);
          const torch::Tensor output = forward_tile(network, tile_input, tile_reference, settings);
          const int64_t x0 = columns.starts[c] * scale;
          const int64_t x1 = std::min(columns.end_of(c) * scale, out_width);
          const torch::Tensor weights = row_window * column_windows[c].slice(0, 0, x1 - x0).unsqueeze(0);
          const torch::Tensor visible = output.slice(2, 0, y1 - y0).slice(3, 0, x1 - x0);
          row_sums.slice(1, 0, 3).slice(3, x0, x1) += visible * weights;
          row_sums.slice(1, 3, 4).slice(3, x0, x1) += weights;
          ++row_tiles;
          const auto [own_left, own_right] = owned_span(columns, c, scale);
          row_owned_columns += own_right - own_left;
          if (hooks.tile_done) {
            StageTile done;
            done.owned = {own_left, own_top, own_right - own_left, own_bottom - own_top};
            done.rgb = output.slice(2, own_top - y0, own_bottom - y0).slice(3, own_left - x0, own_right - x0);
            const int64_t new_rows = std::max<int64_t>(0, own_bottom - std::max(own_top, owned_until));
            const double owned = static_cast<double>(owned_until) * static_cast<double>(out_width) +
                                 static_cast<double>(new_rows) * static_cast<double>(row_owned_columns);
            last_fraction = std::max(last_fraction, std::min(1.0, owned / (static_cast<double>(out_height) * out_width)));
            done.fraction = last_fraction;
            done.tiles_done = tiles_done + row_tiles;
            done.tiles_total = tiles_total;
            done.tile = std::max(rows.tile, columns.tile);
            hooks.tile_done(done);
          }
        }
      } catch (const std::exception& error) {
        if (!is_allocation_failure(error)) throw;
        const int64_t halved = round_down(std::max(rows.tile, columns.tile) / 2, multiple);
        if (halved < smallest)
          throw Error(ErrorKind::Failed, "out of memory even with tiles of " + std::to_string(std::max(rows.tile, columns.tile)) +
                                             " pixels: " + error.what());
        tile = halved;
        begin_row = rows.starts[r];
        if (hooks.tile_shrunk) hooks.tile_shrunk(tile, error.what());
        restarted = true;
        break;
      }
      tiles_done += row_tiles;
      // The row's sums join the band; rows no later tile touches go to the sink.
      if (band.size(2) < y1 - finalized)
        band = torch::cat({band, torch::zeros({1, 4, y1 - finalized - band.size(2), out_width})}, 2);
      band.slice(2, y0 - finalized, y1 - finalized) += row_sums;
      const int64_t final_until = r + 1 < rows.count() ? std::min(rows.starts[r + 1] * scale, out_height) : out_height;
      if (final_until > finalized) {
        const torch::Tensor done = band.slice(2, 0, final_until - finalized);
        sink.write({0, finalized, out_width, final_until - finalized},
                   (done.slice(1, 0, 3) / done.slice(1, 3, 4)).clamp(0.0, 1.0));
        band = band.slice(2, final_until - finalized).clone();
        finalized = final_until;
      }
      owned_until = std::max(owned_until, own_bottom);
    }
    if (!restarted) break;
  }
}

}  // namespace restora
