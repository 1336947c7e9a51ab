#pragma once
#include "nets/blocks/onednn_conv.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/module.h>
#include <torch/nn/options/conv.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

namespace restora {

/// Conv2d with the parameters of torch::nn::Conv2d (`weight` [out, in/groups, kh, kw], `bias`
/// [out]), so official state-dict keys load unchanged, computed through OnednnConv on the CPU
/// (weights kept in oneDNN's layout, optional Winograd) and through torch::conv2d elsewhere:
/// other devices, autograd, or padding modes other than zeros.
class FastConv2dImpl : public torch::nn::Cloneable<FastConv2dImpl>, public ConvPolicyHolder {
 public:
  explicit FastConv2dImpl(torch::nn::Conv2dOptions options);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& input);
  /// The convolution with `post` fused into it, or an undefined tensor where oneDNN does not run
  /// this call (see OnednnConv::run): fused_conv.h's helpers then compute it step by step.
  torch::Tensor try_fused(const torch::Tensor& input, const ConvPostOps& post);
  /// LibTorch's own convolution, for comparison.
  torch::Tensor reference_forward(const torch::Tensor& input) const;
  /// oneDNN's implementation of every input shape seen so far (see OnednnConv).
  std::vector<std::string> implementations() const { return onednn_.implementations(); }

  torch::nn::Conv2dOptions options;
  torch::Tensor weight;
  torch::Tensor bias;

 private:
  OnednnConv onednn_;
};

TORCH_MODULE(FastConv2d);

/// A square convolution with "same" padding (kernel / 2), as every official network builds them.
inline FastConv2d same_conv(int64_t in, int64_t out, int64_t kernel, bool bias = true, int64_t groups = 1) {
  return FastConv2d(torch::nn::Conv2dOptions(in, out, kernel).padding(kernel / 2).bias(bias).groups(groups));
}

/// Sets the policy of every ConvPolicyHolder in `module` (itself included).
void set_conv_policy(torch::nn::Module& module, const ConvPolicy& policy);

}  // namespace restora
