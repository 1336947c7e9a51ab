#pragma once
#include "nets/blocks/onednn_conv.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/options/conv.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <mutex>
#include <utility>

namespace restora {

/// ConvTranspose2d with the same parameters as torch::nn::ConvTranspose2d (`weight`
/// [in, out/groups, k, k], `bias` [out]), so official state-dict keys load unchanged, but
/// computed through ordinary (oneDNN) convolutions: LibTorch 1.13's CPU transposed convolution
/// is a slow reference loop (68% of HINet's and 91% of MIRNet's time in the official code).
/// [N, in, H, W] -> [N, out, (H-1)*s - 2p + d*(k-1) + 1 + op, same for W]
///
/// Every stride phase of the output is an ordinary convolution of the input with a sub-kernel of
/// the weight; all phases run as one convolution with out*s*s channels, then are interleaved
/// (pixel shuffle) and the padding is cropped, in one pass. The output is channels-last where the
/// input is, or where the phase convolution computed that way (see OnednnConv::run). Kernel size,
/// stride, padding, output padding, dilation, groups and bias are all supported (inputs that are
/// not 4-D use the reference).
class FastConvTranspose2dImpl : public torch::nn::Cloneable<FastConvTranspose2dImpl>, public ConvPolicyHolder {
 public:
  explicit FastConvTranspose2dImpl(torch::nn::ConvTranspose2dOptions options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& input);
  /// forward() with an activation applied in the same pass (oneDNN only; a residual is not
  /// offered), or an undefined tensor where oneDNN does not run this call (see fused_conv.h).
  torch::Tensor try_fused(const torch::Tensor& input, const ConvPostOps& post);
  /// LibTorch's own (slow) transposed convolution, for comparison and unsupported cases.
  torch::Tensor reference_forward(const torch::Tensor& input) const;

  torch::nn::ConvTranspose2dOptions options;
  torch::Tensor weight;
  torch::Tensor bias;

 private:
  /// The phase-convolution weight and bias, rebuilt whenever weight or bias change (their version
  /// counters move with every in-place update, load_state_dict's copy_ included). Used only where
  /// no gradient is needed; with autograd, or for parameters created under InferenceMode (which
  /// have no version counter), the weight is rearranged on every call.
  struct PhaseCache {
    const void* weight_impl = nullptr;
    int64_t weight_version = 0;
    int64_t bias_version = 0;
    torch::Tensor weight, bias;
  };
  /// Guards cache_ so that several threads may run one network (e.g. tiles in parallel).
  /// Copying (Cloneable::clone) gives the copy a lock of its own.
  struct CacheLock {
    std::mutex mutex;
    CacheLock() = default;
    CacheLock(const CacheLock&) {}
    CacheLock& operator=(const CacheLock&) { return *this; }
  };
  PhaseCache cache_;
  CacheLock cache_lock_;
  OnednnConv onednn_;
  std::pair<torch::Tensor, torch::Tensor> phase_parameters(int64_t kernel_h, int64_t kernel_w);
  /// The phase-convolution path; undefined where it cannot run (non-4-D input, empty output,
  /// post-ops that oneDNN does not run here).
  torch::Tensor run(const torch::Tensor& input, const ConvPostOps& post);
};

TORCH_MODULE(FastConvTranspose2d);

}  // namespace restora
