#pragma once
#include "nets/restoration_network.h"
#include "training/degradation.h"

#include <torch/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace restora {

/// Scores of one degradation over the validation images (means over images).
struct ValidationScore {
  std::string degradation;
  double psnr = 0;        ///< restored vs clean, RGB (all channels), no border crop
  double ssim = 0;
  double input_psnr = 0;  ///< degraded input vs clean: what the network has to beat
};

/// Clean validation images with their degraded versions fixed once: image i, degradation d gets
/// noise from seed mix_seed(seed, i, d), so every validation of a run (and every run with the
/// same seed) sees the same inputs. Noisy inputs are not clipped (the published protocol).
class ValidationSet {
 public:
  /// The first `images` photos (sorted by name) of `folder` whose names end with `suffix` (""
  /// for all), colour or gray per `channels`; SR inputs bicubic-upscaled by what a network with
  /// its own factor `network_scale` leaves to do. Reference-based networks are validated in
  /// self-similarity mode (restora-cli eval --ref scores them with references).
  /// Throws restora::Error(BadInput) naming the folder or file when unusable.
  ValidationSet(const std::filesystem::path& folder, const std::string& suffix, int64_t images, int64_t channels,
                const std::vector<std::string>& degradations, uint64_t seed, int64_t network_scale = 1);

  /// Restores every input whole (reflect-padded to the network's size multiple, cropped back,
  /// clamped to [0, 1]) without gradients, and scores it.
  std::vector<ValidationScore> evaluate(RestorationNetworkImpl& network) const;

  size_t images() const { return clean_.size(); }
  const torch::Tensor& clean(size_t image) const { return clean_.at(image); }

 private:
  std::vector<torch::Tensor> clean_;                 ///< [1, C, H, W] each
  std::vector<Degradation> degradations_;
  std::vector<std::vector<torch::Tensor>> inputs_;   ///< [degradation][image]
  int64_t network_scale_ = 1;
};

/// network(input) for one [1, C, H, W] image of any size: padded, run without gradients, cropped,
/// clamped to [0, 1].
torch::Tensor restore_whole(RestorationNetworkImpl& network, const torch::Tensor& input);

}  // namespace restora
