#pragma once
#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <string>
#include <vector>

namespace restora {

/// One step of a synthetic degradation. Parameters written LOW-HIGH are drawn uniformly per image.
///   gaussian:SIGMA     additive white Gaussian noise, sigma on the 0-255 scale, not clipped (as the
///                      DnCNN/FFDNet/DRUNet tables add it)
///   poisson:PEAK       shot noise: Poisson(x * PEAK) / PEAK (PEAK photons at white), not clipped
///   jpeg:QUALITY       JPEG at that quality (OpenCV/libjpeg, 4:2:0) of the image rounded to 8 bits
///   bicubic:FACTOR     MATLAB's antialiased bicubic downscale (rounded to 8 bits as MATLAB's uint8
///                      output): the input of the SR benchmarks; the output is smaller
///   defocus:RADIUS     blur by an antialiased disk of that radius in pixels (replicated borders)
///   motion:LENGTH      blur by a random camera trajectory (a random walk with inertia) about LENGTH
///                      pixels long, drawn per image
///   kernel:FILE        blur by a kernel read from a file (FILE.mat#N, FILE.png: see kernel_file.h),
///                      e.g. the Levin kernels of DPIR's deblurring tables
///   lowlight:EXPOSURE  exposure times EXPOSURE (0 < e < 1) in linear light (gamma 2.2)
///   none               the clean image itself
/// Steps chain with '+', applied left to right: "defocus:2-5+gaussian:2.55", "lowlight:0.05-0.3+poisson:20-200".
/// Chains joined by '|' are alternatives, one drawn per image with equal odds:
/// "motion:5-25+gaussian:0-5|defocus:1-5+gaussian:0-5".
struct DegradationStep {
  enum class Kind { None, Gaussian, Poisson, Jpeg, Bicubic, Defocus, Motion, Kernel, LowLight };
  Kind kind = Kind::None;
  double low = 0;   ///< parameter range; low == high for a fixed value
  double high = 0;
  torch::Tensor kernel;  ///< Kernel: the [K, K] kernel read at parse time
  bool blind() const { return low != high; }
};

struct Degradation {
  std::vector<DegradationStep> steps;  ///< the first (often only) chain
  std::vector<std::vector<DegradationStep>> alternatives;  ///< the chains after a '|'
  std::string spec;  ///< as written, for logs and messages

  /// The SR factor of the chain (product of its bicubic steps), 1 when none; alternatives share it.
  int64_t scale() const;
};

/// Parses a spec; throws restora::Error(BadUsage) naming `spec` and the accepted forms when it is
/// not one of them.
Degradation parse_degradation(const std::string& spec);

/// Applies `degradation` to a batch of clean images [N, C, H, W] in [0, 1] (float32), each image
/// drawing its own parameters from `generator`. Output has the input's shape, except after a
/// bicubic step (H/factor x W/factor, rounded up). Deterministic for a given generator state.
torch::Tensor degrade(const torch::Tensor& clean, const Degradation& degradation, at::Generator& generator);

/// What a size-keeping network (the MIRNets' SR configurations) is given for a low-resolution
/// image: bicubic upscaling by `scale`, clamped to [0, 1], exactly as Restorer::prepare_input does
/// at inference. Returns `low_resolution` itself for scale 1.
torch::Tensor upscale_for_network(const torch::Tensor& low_resolution, int64_t scale);

/// A CPU generator seeded with `seed` (the one kind every degradation and crop uses).
at::Generator make_generator(uint64_t seed);

/// Mixes a run seed with counters (iteration, image index, ...) into an independent seed, so that
/// every batch can be rebuilt from (seed, iteration) alone: that is what makes resume exact and
/// prefetching on another thread safe.
uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b = 0);

/// Uniform in [low, high) from a CPU generator (low when equal), under its lock.
double uniform(at::Generator& generator, double low, double high);

}  // namespace restora
