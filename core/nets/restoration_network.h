#pragma once
#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace restora {

/// What every restoration network offers the engine, whatever its architecture.
/// Concrete networks derive from this (Options + Impl + TORCH_MODULE style) and register their
/// parameters under exactly the official state-dict keys.
class RestorationNetworkImpl : public torch::nn::Module {
 public:
  /// [N, in_channels, H, W] -> every output of the official forward, in the official order.
  /// H and W must be multiples of size_multiple().
  virtual std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) = 0;

  /// Index into forward_stages() of the restored image (MPRNet 0, HINet 1, MIRNets 0).
  virtual size_t final_index() const = 0;

  /// H and W of the input must be multiples of this (MPRNet 8, HINet 2^(depth-1), ...).
  virtual int64_t size_multiple() const = 0;

  virtual int64_t input_channels() const { return 3; }
  virtual int64_t output_channels() const { return 3; }

  /// Analytic cost of one forward on an H x W input (already a size multiple), in GFLOP,
  /// counting convolutions (2 x multiply-adds) as PERFORMANCE.md does.
  virtual double gflop(int64_t height, int64_t width) const = 0;

  /// Output size / input size of the network itself: 1 for every network that keeps the size
  /// (MIRNet's SR variants get a bicubic-upscaled input instead), the SR factor for networks that
  /// upsample inside (SSEN). The engine tiles the input and places output tiles at this scale.
  virtual int64_t internal_scale() const { return 1; }

  /// Whether forward needs a second, reference image (reference-based SR: SSEN). Such networks
  /// override forward_stages_with_reference(); forward_stages() alone may then throw.
  virtual bool takes_reference() const { return false; }

  /// Context of the reference beyond the input tile, in INPUT pixels on each side: for an input
  /// tile [N, C, h, w] the engine passes a reference of
  /// [N, 3, (h + 2 * margin) * internal_scale(), (w + 2 * margin) * internal_scale()], centred on
  /// the tile (reflected/replicated beyond the image's borders), so that aligned features can look
  /// `margin` pixels outside the tile.
  virtual int64_t reference_margin() const { return 0; }

  /// Activation bytes that grow with the SQUARE of the input tile's pixel count p (coefficient of
  /// p^2; SSEN's non-local attention matrices), which a fit linear in p cannot extrapolate. The
  /// engine's memory model adds it to its measured linear part. 0 for the other networks.
  virtual double bytes_per_pixel_squared() const { return 0.0; }

  /// [N, in_channels, H, W] input and its reference (shape above) -> every output of the forward;
  /// the restored image [N, 3, H * internal_scale(), W * internal_scale()] at final_index().
  virtual std::vector<torch::Tensor> forward_stages_with_reference(const torch::Tensor& input,
                                                                   const torch::Tensor& reference) {
    (void)reference;
    return forward_stages(input);
  }

  /// The restored image: forward_stages(input)[final_index()].
  torch::Tensor forward(const torch::Tensor& input) { return forward_stages(input).at(final_index()); }
};

}  // namespace restora
