#pragma once
#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <string>

namespace restora {

/// A synthetic degradation made on the fly from a clean image, as a spec string:
///   "gaussian:25"      additive white Gaussian noise, sigma 25 on the 0-255 scale (not clipped,
///                      as the DnCNN/FFDNet/DRUNet tables add it)
///   "gaussian:0-55"    blind: sigma drawn uniformly from [0, 55] per image
///   "none"             the clean image itself
struct Degradation {
  enum class Kind { None, Gaussian };
  Kind kind = Kind::None;
  double low = 0;   ///< parameter range; low == high for a fixed value
  double high = 0;
  std::string spec;  ///< as written, for logs and messages

  bool blind() const { return low != high; }
};

/// Parses a spec; throws restora::Error(BadUsage) naming `spec` and the accepted forms when it is
/// not one of them.
Degradation parse_degradation(const std::string& spec);

/// Applies `degradation` to a batch of clean images [N, C, H, W] in [0, 1] (float32), each image
/// drawing its own parameter (blind ranges) from `generator`. Output has the input's shape.
/// Deterministic for a given generator state.
torch::Tensor degrade(const torch::Tensor& clean, const Degradation& degradation, at::Generator& generator);

/// A CPU generator seeded with `seed` (the one kind every degradation and crop uses).
at::Generator make_generator(uint64_t seed);

/// Mixes a run seed with counters (iteration, image index, ...) into an independent seed, so that
/// every batch can be rebuilt from (seed, iteration) alone: that is what makes resume exact and
/// prefetching on another thread safe.
uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b = 0);

}  // namespace restora
