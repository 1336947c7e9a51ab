#pragma once
#include "io/image.h"
#include "nets/restoration_network.h"

#include <torch/types.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace restora {

/// Progress of a job in [0, 1]; called from the thread that runs the job.
using ProgressCallback = std::function<void(double fraction)>;

/// What a restoration model is, beyond its weights: how its input is prepared.
struct ModelTraits {
  std::string network;          ///< "MPRNet", "HINet", ...
  std::string task;             ///< the official task it was trained for, when known
  int64_t scale = 1;            ///< SR factor; the input is upscaled (bicubic) by what the network does not do itself
  bool dual_pixel = false;      ///< 6-channel input: left view + right view (--dp-right)
  /// The tile a model was calibrated for (0: none). Image-wide statistics (HINet's instance
  /// norm) learnt on small training patches misjudge a whole large image: such a model restores
  /// best in tiles near its patch size (docs/TILING.md). Default tile and overlap of the engine.
  int64_t tile = 0;
  int64_t overlap = 0;
};

/// Runs one loaded network on whole images: prepare (SR upscale, dual-pixel concat), pad to the
/// network's size multiple, forward, crop back, clamp to [0, 1]. Thread-compatible: one job at a
/// time per Restorer. Creates its own InferenceMode guard, so it may run on any thread.
class Restorer {
 public:
  Restorer(std::shared_ptr<RestorationNetworkImpl> network, ModelTraits traits, torch::Device device);

  /// rgb [1, 3, H, W] in [0, 1] -> restored [1, 3, H*scale, W*scale] in [0, 1] on the CPU.
  /// `right_view` is required for dual-pixel models and refused otherwise. Throws
  /// restora::Error(BadInput) for unusable inputs and Error(Failed) when cancelled.
  torch::Tensor restore(const torch::Tensor& rgb, const torch::Tensor& right_view = {},
                        const ProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

  /// As restore(), tile by tile as the engine runs a job (blended overlaps; no reference input).
  torch::Tensor restore_in_tiles(const torch::Tensor& rgb, int64_t tile, int64_t overlap);

  const ModelTraits& traits() const { return traits_; }
  RestorationNetworkImpl& network() { return *network_; }
  const std::shared_ptr<RestorationNetworkImpl>& shared_network() const { return network_; }
  torch::Device device() const { return device_; }

  /// The network input for `rgb`: upscaled when the model is SR, right view appended when
  /// dual-pixel. Exposed for bench and tests.
  torch::Tensor prepare_input(const torch::Tensor& rgb, const torch::Tensor& right_view) const;

 private:
  std::shared_ptr<RestorationNetworkImpl> network_;
  ModelTraits traits_;
  torch::Device device_;
};

/// Restores a decoded photo whole: its colour planes through the network; alpha (resized for
/// SR), bit depth, gray/colour layout and metadata carried over to the result.
Image restore_image(Restorer& restorer, const Image& image, const torch::Tensor& right_view = {},
                    const ProgressCallback& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace restora
