#pragma once
#include "nets/restoration_network.h"

#include <cstdint>
#include <vector>

namespace restora {

struct BenchmarkSettings {
  int64_t height = 256;
  int64_t width = 256;
  int runs = 3;        ///< timed forwards; the median is reported
  int warmup = 1;      ///< untimed forwards first (oneDNN primitive creation, allocator warm-up)
};

struct BenchmarkResult {
  int64_t padded_height = 0;
  int64_t padded_width = 0;
  std::vector<double> seconds;   ///< every timed run
  double median_seconds = 0.0;
  double gflop = 0.0;            ///< analytic, per forward
  double peak_memory_mib = 0.0;  ///< the process's peak resident set after the runs

  double ms_per_image() const { return median_seconds * 1e3; }
  double megapixels() const { return static_cast<double>(padded_height * padded_width) / 1e6; }
  double ms_per_megapixel() const { return ms_per_image() / megapixels(); }
  double megapixels_per_second() const { return megapixels() / median_seconds; }
  double gflop_per_second() const { return gflop / median_seconds; }
};

/// Times the network's forward on a random image of the given size (padded to its size
/// multiple) under InferenceMode on the CPU thread that calls it.
BenchmarkResult run_benchmark(RestorationNetworkImpl& network, const BenchmarkSettings& settings);

/// Peak resident memory of this process so far, in MiB (VmHWM).
double peak_resident_mib();

}  // namespace restora
