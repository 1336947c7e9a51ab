#include "engine/benchmark.h"

#include "common/error.h"
#include "engine/precision_probe.h"
#include "nets/size_rule.h"
#include "runtime/threads.h"

#include <torch/torch.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>

namespace restora {

double peak_resident_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // KiB
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

bool reset_peak_resident() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  clear_refs.flush();
  return static_cast<bool>(clear_refs);
}

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

BenchmarkResult run_tiled_benchmark(const JobStage& stage, const BenchmarkSettings& settings, int64_t tile,
                                    int64_t overlap) {
  torch::manual_seed(0);
  JobInput input;
  input.image = image_from_rgb_tensor(torch::rand({1, 3, settings.height, settings.width}), 8);
  if (stage.traits.dual_pixel) input.right_view = input.image;
  JobOptions options;
  options.tiling.tile = tile;
  options.tiling.overlap = overlap;
  options.precision = settings.precision;
  BenchmarkResult result;
  result.padded_height = settings.height * stage.traits.scale;  // output pixels: what the user gets
  result.padded_width = settings.width * stage.traits.scale;
  for (int i = 0; i < settings.warmup + std::max(1, settings.runs); ++i) {
    const auto start = std::chrono::steady_clock::now();
    const JobResult job = run_job(input, {stage}, options);
    if (!job.finished()) throw Error(job.error_kind, job.message);
    if (i >= settings.warmup)
      result.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  result.median_seconds = median(result.seconds);
  result.peak_memory_mib = peak_resident_mib();
  return result;
}

ConvPrecision benchmark_precision(const BenchmarkSettings& settings) {
  if (settings.precision == Precision::bf16) return ConvPrecision::bf16;
  if (settings.precision == Precision::automatic && machine_precision_probe().bf16_faster) return ConvPrecision::bf16;
  return ConvPrecision::fp32;
}

BenchmarkResult run_benchmark(RestorationNetworkImpl& network, const BenchmarkSettings& settings) {
  apply_threads_to_this_thread();
  c10::InferenceMode inference;
  const ConvPrecisionScope precision(benchmark_precision(settings));
  network.eval();
  BenchmarkResult result;
  result.padded_height = round_up_to_multiple(settings.height, network.size_multiple());
  result.padded_width = round_up_to_multiple(settings.width, network.size_multiple());
  result.gflop = network.gflop(result.padded_height, result.padded_width);
  torch::manual_seed(0);
  const auto input = torch::rand({1, network.input_channels(), result.padded_height, result.padded_width});
  for (int i = 0; i < settings.warmup; ++i) network.forward(input);
  for (int i = 0; i < std::max(1, settings.runs); ++i) {
    const auto start = std::chrono::steady_clock::now();
    network.forward(input);
    result.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  result.median_seconds = median(result.seconds);
  result.peak_memory_mib = peak_resident_mib();
  return result;
}

}  // namespace restora
