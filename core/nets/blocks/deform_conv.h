#pragma once
// Modulated deformable convolution (DCNv2; DCNv1 without a mask), numerically the operator of
// torchvision.ops.deform_conv2d, built only from LibTorch operations so that autograd gives every
// gradient (input, offset, mask, weight, bias) on any device.
//
// How it is computed (see deform_conv.cpp): the sampling positions of every kernel tap of every
// output pixel are formed at once, and ONE grid_sample call (bilinear, zeros outside, offset
// groups folded into the batch) samples them into an image [N, C, k*Ho, k*Wo] where the k x k
// taps of output pixel (oy, ox) form the block at (k*oy, k*ox); the mask multiplies it, and ONE
// ordinary k x k convolution with stride k and the layer's own weight makes the output. That
// convolution is the single matrix product [O, C*K] x [C*K, Ho*Wo], but run by oneDNN (through
// OnednnConv, weights kept in its layout) or torch::conv2d: Debian's LibTorch links the reference
// BLAS, whose matmul is ~50x slower than oneDNN here. No loop over taps or pixels; the memory
// cost is that of im2col, N*C*K*Ho*Wo values.
#include "nets/blocks/onednn_conv.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace restora {

/// Geometry of a deformable convolution (square kernel, equal stride/padding/dilation in y and x).
struct DeformGeometry {
  int64_t kernel = 3;
  int64_t stride = 1;
  int64_t padding = 1;
  int64_t dilation = 1;
  int64_t output_size(int64_t input_size) const {
    return (input_size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
  }
};

/// Where every tap samples: offset [N, 2*G*K, Ho, Wo] (channel 2*(g*K+i) = y, +1 = x displacement
/// of tap i, row-major over the kernel, in offset group g; torchvision's layout) ->
/// positions [N, G, K, Ho, Wo, 2] in input pixel coordinates, last axis (y, x).
/// This is also what "where it looked" reports.
torch::Tensor deform_sampling_positions(const torch::Tensor& offset, const DeformGeometry& geometry);

/// The sampled, modulated taps: input [N, C, H, W] -> [N, C, k*Ho, k*Wo], tap (ky, kx) of output
/// (oy, ox) at (k*oy + ky, k*ox + kx). Shapes as for deform_conv2d (unchecked here).
torch::Tensor deform_columns(const torch::Tensor& input, const torch::Tensor& offset, const torch::Tensor& mask,
                             const DeformGeometry& geometry);

/// torchvision.ops.deform_conv2d(input, offset, weight, bias, stride, padding, dilation, mask).
/// input [N, C, H, W]; offset [N, 2*G*K, Ho, Wo]; mask [N, G*K, Ho, Wo] or undefined (DCNv1);
/// weight [O, C/groups, k, k]; bias [O] or undefined -> [N, O, Ho, Wo].
/// G (offset groups) must divide C and comes from offset's channel count, groups from weight's.
/// Throws restora::Error(BadInput) on inconsistent shapes.
torch::Tensor deform_conv2d(const torch::Tensor& input, const torch::Tensor& offset, const torch::Tensor& weight,
                            const torch::Tensor& bias, const torch::Tensor& mask, const DeformGeometry& geometry);

struct DeformConv2dOptions {
  DeformConv2dOptions(int64_t in, int64_t out, int64_t kernel)
      : in_channels_(in), out_channels_(out), kernel_size_(kernel) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  TORCH_ARG(int64_t, kernel_size);
  TORCH_ARG(int64_t, stride) = 1;
  TORCH_ARG(int64_t, padding) = 0;
  TORCH_ARG(int64_t, dilation) = 1;
  TORCH_ARG(int64_t, offset_groups) = 1;
  TORCH_ARG(bool, bias) = true;
};

/// A deformable convolution layer with torchvision.ops.DeformConv2d's parameters (`weight`
/// [out, in, k, k], `bias` [out]) and initialisation (Kaiming-uniform like nn.Conv2d). The offsets
/// and the mask come from outside (in SSEN: the dynamic offset estimator).
class DeformConv2dImpl : public torch::nn::Cloneable<DeformConv2dImpl> {
 public:
  explicit DeformConv2dImpl(DeformConv2dOptions options);
  void reset() override;

  /// input [N, in, H, W], offset [N, 2*G*k*k, Ho, Wo], mask [N, G*k*k, Ho, Wo] (or undefined)
  /// -> [N, out, Ho, Wo]. `context` > 0: the input has that many extra pixels on every side
  /// beyond the grid the offsets refer to (SSEN's reference margin): the output keeps the
  /// offsets' grid and taps may land in the context (the padding shrinks by `context`).
  torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& offset, const torch::Tensor& mask = {},
                        int64_t context = 0);

  DeformGeometry geometry() const;
  int64_t offset_channels() const { return 2 * options.offset_groups() * options.kernel_size() * options.kernel_size(); }
  int64_t mask_channels() const { return options.offset_groups() * options.kernel_size() * options.kernel_size(); }
  /// Multiply-adds of the matrix product on an Ho x Wo output (the sampling is ~4*C*K*Ho*Wo more).
  double macs(int64_t height, int64_t width) const;

  DeformConv2dOptions options;
  torch::Tensor weight;
  torch::Tensor bias;
  /// Exact by default: the stride-k convolution has no Winograd form anyway.
  ConvPolicy policy{ConvAlgorithm::exact};

 private:
  OnednnConv onednn_;
};
TORCH_MODULE(DeformConv2d);

}  // namespace restora
