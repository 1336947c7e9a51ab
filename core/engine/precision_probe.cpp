#include "engine/precision_probe.h"

#include "common/user_dirs.h"
#include "metrics/metrics.h"
#include "nets/blocks/fast_conv2d.h"
#include "nets/restoration_network.h"
#include "runtime/threads.h"
#include "runtime/version.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

namespace restora {
namespace {

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown CPU";
}

std::string machine_key() {
  std::ostringstream key;
  key << cpu_model() << " | " << conv_isa() << " | LibTorch " << torch_version() << " | " << conv_library_version() << " | "
      << intra_op_threads()
      << " threads";
  return key.str();
}

struct ProbeCase {
  int64_t in, out, kernel, side;
};

/// Milliseconds of the probe's convolutions in fp32 and in bf16: for each, the fastest of 7 runs,
/// the two precisions alternating so that a busy neighbour slows both alike (medians were
/// swayed by a niced process on the other core: 16.3 against 7.4 ms where the quiet minima were
/// 4.0 against 7.4). The first run of each creates the primitive and lays the weights out.
std::pair<double, double> time_convolutions(bool with_bf16) {
  const ProbeCase cases[] = {{64, 64, 3, 128}, {256, 256, 3, 32}, {128, 128, 1, 64}};
  c10::InferenceMode inference;
  double fp32_total = 0.0, bf16_total = 0.0;
  for (const auto& c : cases) {
    auto conv = same_conv(c.in, c.out, c.kernel);  // any weights time alike: the global RNG stays as it was
    const auto x = torch::rand({1, c.in, c.side, c.side}).contiguous(at::MemoryFormat::ChannelsLast);
    const auto fastest = [&](ConvPrecision precision, double& best) {
      const ConvPrecisionScope scope(precision);
      const auto start = std::chrono::steady_clock::now();
      conv->forward(x);
      best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    };
    double fp32 = 1e30, bf16 = 1e30, ignored = 0.0;
    fastest(ConvPrecision::fp32, ignored);
    if (with_bf16) fastest(ConvPrecision::bf16, ignored);
    for (int i = 0; i < 7; ++i) {
      fastest(ConvPrecision::fp32, fp32);
      if (with_bf16) fastest(ConvPrecision::bf16, bf16);
    }
    fp32_total += fp32;
    bf16_total += with_bf16 ? bf16 : 0.0;
  }
  return {fp32_total, bf16_total};
}

bool read_cache(const std::filesystem::path& file, PrecisionProbe& probe) {
  std::ifstream in(file);
  std::string key;
  if (!std::getline(in, key) || key != probe.machine) return false;
  return static_cast<bool>(in >> probe.fp32_ms >> probe.bf16_ms >> probe.bf16_faster);
}

void write_cache(const std::filesystem::path& file, const PrecisionProbe& probe) {
  std::error_code ignored;  // a cache that cannot be written only costs the next run its probe
  std::filesystem::create_directories(file.parent_path(), ignored);
  const auto temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary);
    out.precision(17);
    out << probe.machine << '\n' << probe.fp32_ms << ' ' << probe.bf16_ms << ' ' << probe.bf16_faster << '\n';
    if (!out) return;
  }
  std::filesystem::rename(temporary, file, ignored);
}

}  // namespace

PrecisionProbe probe_precision(const std::filesystem::path& cache_file) {
  PrecisionProbe probe;
  probe.machine = machine_key();
  if (read_cache(cache_file, probe)) {
    probe.from_cache = true;
    return probe;
  }
  const bool with_bf16 = bf16_convolutions_available();
  std::tie(probe.fp32_ms, probe.bf16_ms) = time_convolutions(with_bf16);
  probe.bf16_faster = with_bf16 && probe.bf16_ms > 0.0 && probe.bf16_ms <= 0.9 * probe.fp32_ms;
  write_cache(cache_file, probe);
  return probe;
}

const PrecisionProbe& machine_precision_probe() {
  static const PrecisionProbe probe = probe_precision(user_cache_dir() / "precision-probe.txt");
  return probe;
}

double bf16_psnr_db(RestorationNetworkImpl& network, const torch::Tensor& sample) {
  c10::InferenceMode inference;
  const auto fp32 = network.forward(sample).clamp(0.0, 1.0);
  torch::Tensor bf16;
  {
    const ConvPrecisionScope scope(ConvPrecision::bf16);
    bf16 = network.forward(sample).clamp(0.0, 1.0);
  }
  return psnr(bf16, fp32);
}

ConvPrecision automatic_precision(const std::shared_ptr<RestorationNetworkImpl>& model, const torch::Tensor& sample,
                                  std::string& why) {
  struct Decision {
    std::weak_ptr<RestorationNetworkImpl> network;  // a later network at the same address decides anew
    ConvPrecision precision;
    std::string why;
  };
  static std::mutex mutex;
  static std::map<const RestorationNetworkImpl*, Decision> decided;
  const std::lock_guard<std::mutex> lock(mutex);
  RestorationNetworkImpl& network = *model;
  if (const auto found = decided.find(&network); found != decided.end() && found->second.network.lock() == model) {
    why = found->second.why;
    return found->second.precision;
  }
  const PrecisionProbe& probe = machine_precision_probe();
  std::ostringstream text;
  text.precision(3);
  ConvPrecision precision = ConvPrecision::fp32;
  if (probe.bf16_ms <= 0.0) {
    text << "fp32 (this CPU has no bf16 convolutions: " << conv_isa() << ")";
  } else if (!probe.bf16_faster) {
    text << "fp32 (bf16 convolutions are slower here: " << probe.bf16_ms << " ms against " << probe.fp32_ms << ")";
  } else if (network.takes_reference() || sample.size(1) != network.input_channels()) {
    text << "fp32 (bf16 is faster here, but this network's bf16 quality cannot be checked on the photo)";
  } else {
    const double psnr = bf16_psnr_db(network, sample);
    precision = psnr >= kBf16MinPsnrDb ? ConvPrecision::bf16 : ConvPrecision::fp32;
    text << (precision == ConvPrecision::bf16 ? "bf16" : "fp32") << " (bf16 convolutions take " << probe.bf16_ms
         << " ms against " << probe.fp32_ms << "; PSNR(bf16, fp32) " << psnr << " dB on a crop of the photo, "
         << kBf16MinPsnrDb << " needed)";
  }
  why = text.str();
  decided[&network] = {model, precision, why};
  return precision;
}

std::string precision_report() {
  const PrecisionProbe& probe = machine_precision_probe();
  std::ostringstream text;
  text.precision(3);
  text << "convolutions   " << conv_library_version() << ", " << conv_isa() << '\n';
  text << "auto precision ";
  if (probe.bf16_ms <= 0.0) {
    text << "fp32 (no bf16 convolutions on this CPU)";
  } else if (probe.bf16_faster) {
    text << "bf16 where a network keeps " << kBf16MinPsnrDb << " dB against fp32 (probe: bf16 " << probe.bf16_ms
         << " ms, fp32 " << probe.fp32_ms << " ms)";
  } else {
    text << "fp32 (probe: bf16 " << probe.bf16_ms << " ms, fp32 " << probe.fp32_ms << " ms)";
  }
  text << '\n';
  return text.str();
}

}  // namespace restora
