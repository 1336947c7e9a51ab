#include "engine/benchmark.h"

#include "nets/size_rule.h"
#include "runtime/threads.h"

#include <torch/torch.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>

namespace restora {

double peak_resident_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

BenchmarkResult run_benchmark(RestorationNetworkImpl& network, const BenchmarkSettings& settings) {
  apply_threads_to_this_thread();
  c10::InferenceMode inference;
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
  std::vector<double> sorted = result.seconds;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  result.median_seconds = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  result.peak_memory_mib = peak_resident_mib();
  return result;
}

}  // namespace restora
