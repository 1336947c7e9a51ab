#pragma once
#include "nets/blocks/onednn_conv.h"

#include <torch/types.h>

#include <filesystem>
#include <memory>
#include <string>

namespace restora {

/// What `--precision auto` found about bf16 convolutions on this machine.
struct PrecisionProbe {
  std::string machine;    ///< CPU model, oneDNN ISA, library versions, threads: the cache key
  double fp32_ms = 0.0;   ///< the probe's convolutions as the networks run them (Winograd where it wins)
  double bf16_ms = 0.0;   ///< the same in bf16; 0 where this CPU cannot run bf16 convolutions
  bool bf16_faster = false;
  bool from_cache = false;
};

/// Times a few representative convolutions (3x3 64->64 on a 128x128 map, 3x3 256->256 on 32x32,
/// 1x1 128->128 on 64x64) in fp32 and bf16, fastest of 7 each, and calls bf16 faster only when
/// it takes at most 0.9x the time. CPU flags alone cannot tell: an AMX machine limited to
/// AVX512-BF16 ran bf16 at 0.5-0.7x fp32, our Zen 4 (AVX512-BF16, no AMX) runs it 1.5-5x faster. Run once per machine (~0.3 s) and cached
/// in `cache_file` (keyed by `machine`: another CPU, library or thread count measures again).
PrecisionProbe probe_precision(const std::filesystem::path& cache_file);

/// probe_precision on $XDG_CACHE_HOME/restora/precision-probe.txt, once per process.
const PrecisionProbe& machine_precision_probe();

/// The smallest PSNR of a network's bf16 output against its fp32 output for `auto` to choose bf16.
constexpr double kBf16MinPsnrDb = 50.0;

class RestorationNetworkImpl;

/// PSNR of the network's bf16 output against its fp32 output on `sample` ([1, C, h, w] in 0..1,
/// h and w multiples of its size_multiple), in dB; infinity where they are equal.
double bf16_psnr_db(RestorationNetworkImpl& network, const torch::Tensor& sample);

/// What `--precision auto` runs a network's CPU convolutions in: bf16 where the machine's probe
/// found it faster and the network's bf16 output on `sample` (a crop of the photo it restores)
/// stays at or above kBf16MinPsnrDb of its fp32 output, fp32 elsewhere. Decided once per network
/// object. `why` gets a line on what decided.
ConvPrecision automatic_precision(const std::shared_ptr<RestorationNetworkImpl>& network, const torch::Tensor& sample,
                                  std::string& why);

/// Two lines for --version and bench: the convolution library and ISA, and what `auto` runs here.
std::string precision_report();

}  // namespace restora
