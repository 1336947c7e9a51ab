#pragma once
#include "engine/job.h"
#include "nets/blocks/onednn_conv.h"
#include "nets/restoration_network.h"

#include <cstdint>
#include <vector>

namespace restora {

struct BenchmarkSettings {
  int64_t height = 256;
  int64_t width = 256;
  int runs = 3;        ///< timed forwards; the median is reported
  int warmup = 1;      ///< untimed forwards first (oneDNN primitive creation, allocator warm-up)
  /// CPU convolutions in fp32 or bf16; automatic: what the machine's probe found faster (the
  /// tiled run, a real job, also checks the network's bf16 quality on its image).
  Precision precision = Precision::fp32;
};

/// The CPU convolution precision a benchmark with these settings runs.
ConvPrecision benchmark_precision(const BenchmarkSettings& settings);

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

/// The same image through the job API in tiles of `tile` (0: whole) with `overlap`: what restore
/// costs, reading and blending included. Sizes and megapixels are of the output.
BenchmarkResult run_tiled_benchmark(const JobStage& stage, const BenchmarkSettings& settings, int64_t tile,
                                    int64_t overlap);

/// Peak resident memory of this process since the last reset_peak_resident(), in MiB (VmHWM).
double peak_resident_mib();

/// Resets VmHWM to the current resident set (writes 5 to /proc/self/clear_refs); false where
/// that is not possible (the peak then covers the whole process).
bool reset_peak_resident();

}  // namespace restora
