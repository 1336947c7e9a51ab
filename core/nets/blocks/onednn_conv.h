#pragma once
#include <torch/types.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace restora {

/// How 3x3 convolutions are computed on the CPU.
enum class ConvAlgorithm {
  /// Direct convolution, as LibTorch computes it: bit-identical to torch::conv2d on channels-last
  /// data; on NCHW data oneDNN may pick another kernel order (differences ~1e-6 relative).
  exact,
  /// Winograd F(4x4, 3x3) where oneDNN offers it (3x3, stride 1, no groups, channels in
  /// multiples of 16, AVX-512), direct elsewhere: about 2x faster per convolution, with
  /// rounding differences of ~2e-6 relative per layer.
  winograd,
};

struct ConvPolicy {
  ConvAlgorithm algorithm = ConvAlgorithm::winograd;
  /// Winograd keeps its weights transformed, 4x their size: worth it only where an output map
  /// has many pixels to spread that over. HINet GoPro at 256x256: 2.29 GB peak with Winograd
  /// on every level, 1.49 GB from 64x64 maps up, 1.20 GB direct only; the speed of the first two
  /// was within the noise of each other.
  int64_t winograd_min_pixels = 64 * 64;
};

/// A module whose convolutions run through OnednnConv under a policy: set_conv_policy (in
/// fast_conv2d.h) sets it on every such module of a network.
struct ConvPolicyHolder {
  virtual ~ConvPolicyHolder() = default;
  ConvPolicy policy;
};

/// Arithmetic of the CPU convolutions run on the calling thread. bf16: inputs and weights in
/// bfloat16, accumulation and outputs in float (so residual paths stay float); direct kernels
/// only (oneDNN has no bf16 Winograd). Ignored under ConvAlgorithm::exact.
enum class ConvPrecision { fp32, bf16 };

/// Sets the calling thread's convolution precision while alive.
class ConvPrecisionScope {
 public:
  explicit ConvPrecisionScope(ConvPrecision precision);
  ~ConvPrecisionScope();
  ConvPrecisionScope(const ConvPrecisionScope&) = delete;
  ConvPrecisionScope& operator=(const ConvPrecisionScope&) = delete;

 private:
  ConvPrecision previous_;
};

/// The calling thread's convolution precision.
ConvPrecision conv_precision();

/// The instruction set oneDNN's kernels use on this CPU, in its words (e.g. "avx512_core_bf16",
/// "avx512_core_amx"), or "none" without oneDNN.
std::string conv_isa();

/// "oneDNN 2.6.3", or "no oneDNN".
std::string conv_library_version();

/// Whether this CPU runs bf16 convolutions through oneDNN (AVX-512 or newer).
bool bf16_convolutions_available();

struct ConvGeometry {
  std::array<int64_t, 2> stride{1, 1};
  std::array<int64_t, 2> padding{0, 0};
  std::array<int64_t, 2> dilation{1, 1};
  int64_t groups = 1;
};

/// What a convolution does to its output before returning it, as oneDNN post-ops (fused into the
/// kernel's own pass over the output instead of separate passes over memory).
struct ConvPostOps {
  /// Then x > 0 ? x : negative_slope * x: ReLU (0), LeakyReLU, or a PReLU with a single weight.
  bool activation = false;
  float negative_slope = 0.0f;
  /// Added last (after the activation): a tensor of the output's shape.
  torch::Tensor residual;
};

/// Runs 2-D convolutions through oneDNN directly, keeping the weights in oneDNN's own layout
/// between calls. LibTorch 1.13 reorders the weights on every call (a 1024->1024 3x3
/// convolution on a 16x16 map spends more than half its time there) and offers no Winograd.
///
/// One instance belongs to one convolution module; it may be called from several threads.
class OnednnConv {
 public:
  OnednnConv();
  ~OnednnConv();
  /// Copies start with an empty cache (a cloned module has weights of its own).
  OnednnConv(const OnednnConv&);
  OnednnConv& operator=(const OnednnConv&);

  /// True when this build has the oneDNN path at all.
  static bool compiled_in();

  /// The convolution, or an undefined tensor when this call is not for oneDNN (not a float32
  /// CPU tensor, gradients needed, unusual layout): the caller then uses torch::conv2d.
  /// Channels-last in, channels-last out; a planar input's output is channels-last where the
  /// kernel computes in that layout (oneDNN's direct kernels here), planar elsewhere.
  torch::Tensor run(const torch::Tensor& input, const torch::Tensor& weight, const torch::Tensor& bias,
                    const ConvGeometry& geometry, const ConvPolicy& policy, const ConvPostOps& post = {});

  /// oneDNN's name for the implementation of each input shape run so far (e.g.
  /// "jit_wino_4x3:avx512_core", "brgconv:avx512_core"), for tests and diagnostics.
  std::vector<std::string> implementations() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Frees the calling thread's convolution working memory, which is kept between calls for speed
/// (a large image can leave hundreds of MB). The engine calls it after each image.
void release_conv_workspace();

/// The calling thread's convolution working memory now: reorder buffers and scratchpad, in bytes.
struct ConvWorkspace {
  size_t buffers = 0;
  size_t scratchpad = 0;
};
ConvWorkspace conv_workspace();

}  // namespace restora
