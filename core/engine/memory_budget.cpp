#include "engine/memory_budget.h"

#include "common/error.h"
#include "engine/benchmark.h"
#include "engine/job.h"
#include "nets/blocks/onednn_conv.h"
#include "nets/size_rule.h"
#include "runtime/heap.h"

#include <c10/core/Allocator.h>
#include <c10/util/ThreadLocalDebugInfo.h>
#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace restora {
namespace {

constexpr double kWinogradScratch = 256.0 * 1024 * 1024;  // the cap in onednn_conv.cpp

/// Counts the CPU tensor bytes allocated on this thread while installed (LibTorch reports every
/// allocation of its CPU allocator to the thread's memory-reporting debug info).
class AllocationTracker : public c10::MemoryReportingInfoBase {
 public:
  void reportMemoryUsage(void*, int64_t alloc_size, int64_t, int64_t, c10::Device device) override {
    if (device.type() != c10::DeviceType::CPU) return;
    // Intra-op threads inherit the debug info, so reports may come from several threads.
    std::lock_guard<std::mutex> lock(mutex_);
    current_ += alloc_size;
    peak_ = std::max(peak_, current_);
  }
  bool memoryProfilingEnabled() const override { return true; }
  int64_t peak() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return peak_;
  }

 private:
  mutable std::mutex mutex_;
  int64_t current_ = 0;
  int64_t peak_ = 0;
};

/// A "Key:   123 kB" field of a /proc file in bytes; -1 where it is missing.
int64_t read_kib_field(const char* path, const char* key) {
  std::ifstream file(path);
  std::string line;
  const std::string prefix = std::string(key) + ":";
  while (std::getline(file, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::istringstream fields(line.substr(prefix.size()));
    long long kib = -1;
    fields >> kib;
    return kib < 0 ? -1 : kib * 1024;
  }
  return -1;
}

int64_t read_meminfo(const char* key) { return read_kib_field("/proc/meminfo", key); }
int64_t read_status_bytes(const char* key) { return read_kib_field("/proc/self/status", key); }

struct Measurement {
  double peak = 0;     ///< LibTorch's allocator reports
  ConvWorkspace workspace;  ///< what the convolutions' per-thread buffers grew to
  /// The process's resident-set growth (it also sees oneDNN's own buffers and the heap's
  /// fragmentation: for MPRNet 4x the reports at 384 px); negative where it cannot be measured.
  double resident = -1;
};

Measurement measure_forward(RestorationNetworkImpl& network, int64_t side) {
  auto tracker = std::make_shared<AllocationTracker>();
  release_conv_workspace();  // so that its growth below is this forward's, and the buffers' size too
  return_freed_memory();  // hand freed heap back, so that the growth below is this forward's
  const int64_t before = read_status_bytes("VmRSS");
  const bool resident_known = before >= 0 && reset_peak_resident();
  {
    c10::DebugInfoGuard guard(c10::DebugInfoKind::PROFILER_STATE, tracker);
    c10::InferenceMode inference;
    const int64_t out_side = side * network.internal_scale();
    const int64_t margin = network.reference_margin();
    const torch::Tensor input = torch::rand({1, network.input_channels(), side, side});
    if (network.takes_reference()) {
      const int64_t ref_side = out_side + 2 * margin * network.internal_scale();
      network.forward_stages_with_reference(input, torch::rand({1, 3, ref_side, ref_side}));
    } else {
      network.forward_stages(input);
    }
  }
  const double resident =
      resident_known ? std::max(0.0, peak_resident_mib() * 1024.0 * 1024.0 - static_cast<double>(before)) : -1.0;
  return {static_cast<double>(tracker->peak()), conv_workspace(), resident};
}


}  // namespace

double MemoryModel::forward_bytes(int64_t height, int64_t width) const {
  const double pixels = static_cast<double>(height) * static_cast<double>(width);
  // The convolutions' per-thread buffers are ours, not LibTorch's: they grow with the tile, the
  // scratchpad up to its cap. The resident model sees the scratchpad at its measuring size already,
  // but without counting it once more it under-predicted MPRNet's process by ~10% at 1.5G
  // (docs/TILING.md): the margin stays.
  const double scratch = std::min(kWinogradScratch, scratch_bytes_per_pixel * pixels);
  const double reported = fixed_bytes + bytes_per_pixel * pixels + buffer_bytes_per_pixel * pixels + scratch;
  const double resident = resident_fixed_bytes + resident_bytes_per_pixel * pixels;
  return std::max(reported, resident + scratch) + bytes_per_pixel_squared * pixels * pixels;
}

MemoryModel memory_model(RestorationNetworkImpl& network, int64_t budget_bytes) {
  static std::mutex mutex;
  static std::map<const RestorationNetworkImpl*, MemoryModel> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    const auto found = cache.find(&network);
    if (found != cache.end()) return found->second;
  }
  const int64_t multiple = network.size_multiple();
  // Two sizes large enough for every layer to see its steady-state algorithm, small enough to be
  // quick; in output pixels, so that a network upsampling 4x inside (SSEN) is not measured on a
  // 1024-px output (30 s and 2.7 GB for the lite SSEN before a 0.2 MP photo).
  const int64_t per = std::max<int64_t>(1, network.internal_scale());
  const int64_t small = round_up_to_multiple(std::max<int64_t>(1, 64 / per), multiple);
  const int64_t large_side = round_up_to_multiple(std::max<int64_t>(1, 128 / per), multiple);
  const int64_t large = large_side + (large_side == small ? multiple : 0);
  const Measurement a = measure_forward(network, small);
  const Measurement b = measure_forward(network, large);
  const double pa = static_cast<double>(small * small);
  const double pb = static_cast<double>(large * large);
  MemoryModel model;
  // The network's quadratic term comes out of the measurements before the linear fit.
  model.bytes_per_pixel_squared = network.bytes_per_pixel_squared();
  const double peak_a = a.peak - model.bytes_per_pixel_squared * pa * pa;
  const double peak_b = b.peak - model.bytes_per_pixel_squared * pb * pb;
  model.bytes_per_pixel = std::max(0.0, (peak_b - peak_a) / (pb - pa));
  model.fixed_bytes = std::max(0.0, peak_a - model.bytes_per_pixel * pa);
  model.buffer_bytes_per_pixel = std::max(a.workspace.buffers / pa, b.workspace.buffers / pb);
  model.scratch_bytes_per_pixel = std::max(a.workspace.scratchpad / pa, b.workspace.scratchpad / pb);
  // The resident set's growth at the larger size and at 256 output px (where the heap behaves as
  // for real tiles), or less where that forward alone would overrun the budget (MPRNet at 256 px
  // grows the process by ~1.2 GB): the growth at the larger size, scaled by area, estimates it.
  const int64_t full_side = std::max(round_up_to_multiple(std::max<int64_t>(1, 256 / per), multiple), large + multiple);
  int64_t resident_side = full_side;
  if (budget_bytes > 0 && b.resident > 0) {
    const double room = static_cast<double>(budget_bytes) - resident_bytes_now();
    if (b.resident * static_cast<double>(full_side * full_side) / pb > room) {
      const int64_t fitting = static_cast<int64_t>(std::sqrt(std::max(0.0, room) / b.resident * pb));
      resident_side = std::clamp(round_up_to_multiple(fitting, multiple) - multiple, large + multiple, full_side);
    }
  }
  const Measurement c = measure_forward(network, resident_side);
  if (b.resident >= 0 && c.resident >= 0) {
    const double pc = static_cast<double>(resident_side * resident_side);
    const double net_b = b.resident - model.bytes_per_pixel_squared * pb * pb;
    const double net_c = c.resident - model.bytes_per_pixel_squared * pc * pc;
    model.resident_bytes_per_pixel = std::max(0.0, (net_c - net_b) / (pc - pb));
    model.resident_fixed_bytes = std::max(0.0, net_b - model.resident_bytes_per_pixel * pb);
  }
  std::lock_guard<std::mutex> lock(mutex);
  cache[&network] = model;
  return model;
}

int64_t default_overlap(const ModelTraits& traits) {
  if (traits.tile > 0) return traits.overlap;
  return 32;  // docs/TILING.md: at or above every measured network's smallest lossless overlap
}

double blend_band_bytes(int64_t out_width, int64_t tile, int64_t scale) {
  // The band and one tile row's sums: 4 floats per output pixel over a tile's height each.
  return 2.0 * 16.0 * static_cast<double>(tile * scale) * static_cast<double>(out_width);
}

double resident_bytes_now() {
  return_freed_memory();
  return static_cast<double>(std::max<int64_t>(0, read_status_bytes("VmRSS")));
}

int64_t largest_tile(RestorationNetworkImpl& network, int64_t budget_bytes, int64_t in_height, int64_t in_width,
                     double held_bytes) {
  const int64_t multiple = network.size_multiple();
  const int64_t scale = network.internal_scale();
  const MemoryModel model = memory_model(network, budget_bytes);
  const auto need = [&](int64_t tile) {
    const int64_t tile_h = std::min(tile, round_up_to_multiple(in_height, multiple));
    const int64_t tile_w = std::min(tile, round_up_to_multiple(in_width, multiple));
    return held_bytes + model.forward_bytes(tile_h, tile_w) + blend_band_bytes(in_width * scale, tile_h, scale);
  };
  const int64_t largest = std::min<int64_t>(round_up_to_multiple(std::max(in_height, in_width), multiple),
                                            round_up_to_multiple(4096, multiple));
  for (int64_t tile = largest; tile >= multiple; tile -= multiple)
    if (need(tile) <= static_cast<double>(budget_bytes)) return tile;
  throw Error(ErrorKind::BadUsage, "the memory budget of " + describe_bytes(static_cast<double>(budget_bytes)) +
                                       " is too small for this image: it needs about " + describe_bytes(need(multiple)) +
                                       " even with the smallest tiles (raise --memory)");
}

std::optional<int64_t> available_memory() {
  const int64_t bytes = read_meminfo("MemAvailable");
  if (bytes < 0) return std::nullopt;
  return bytes;
}

int64_t physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) return static_cast<int64_t>(pages) * page_size;
  return int64_t{4} << 30;
}

int64_t default_memory_budget(torch::Device device) {
  (void)device;  // CUDA: the device's free memory would be the budget (untested: no CUDA here)
  return std::min<int64_t>(physical_memory() / 4, int64_t{4} << 30);
}

int64_t parse_memory_size(const std::string& text, const std::string& option) {
  const auto bad = [&] {
    return Error(ErrorKind::BadUsage, option + " expects a size such as 1.5G, 800M or 4096K; got '" + text + "'");
  };
  if (text.empty()) throw bad();
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw bad();
  }
  std::string unit = text.substr(used);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
  if (!unit.empty() && unit.back() == 'i') unit.pop_back();
  double factor = 1;
  if (unit == "K" || unit == "k") factor = 1024.0;
  else if (unit == "M" || unit == "m") factor = 1024.0 * 1024;
  else if (unit == "G" || unit == "g") factor = 1024.0 * 1024 * 1024;
  else if (!unit.empty()) throw bad();
  const double bytes = value * factor;
  if (!std::isfinite(bytes) || bytes < 16.0 * 1024 * 1024 || bytes > 1024.0 * 1024 * 1024 * 1024)
    throw Error(ErrorKind::BadUsage, option + " must be between 16M and 1024G; got '" + text + "'");
  return static_cast<int64_t>(bytes);
}

std::string describe_bytes(double bytes) {
  char text[32];
  if (bytes >= 1024.0 * 1024 * 1024)
    std::snprintf(text, sizeof text, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  else
    std::snprintf(text, sizeof text, "%.0f MiB", bytes / (1024.0 * 1024));
  return text;
}

}  // namespace restora
