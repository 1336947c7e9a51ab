#pragma once
// SSEN: reference-based super-resolution with similarity-aware deformable convolution (Shim, Park,
// Kweon, CVPR 2020). The authors published no code; ../shared/docs/ssen.md fixes the design and
// this implementation makes the choices it leaves open:
//  - Widths and depths: n_feats C = 64, n_feat_blocks R1 = 4 (each extractor), n_sr_blocks R2 = 16,
//    offset_groups G = 8, 3x3 deformable kernels, scale 2, 3 or 4 (x2 and x4 are the targets).
//  - Residual blocks are EDSR's (conv-ReLU-conv + x, no batch norm, no residual scaling); the
//    backbone has EDSR's long skip: sr_tail(sr_blocks(fused)) + fused.
//  - The offset estimator (blocks/offset_estimator.h) uses LeakyReLU 0.1, bilinear resizes
//    between its levels, and zero-initialised heads (offsets 0, masks sigmoid(0) = 0.5).
//  - Non-local blocks are embedded-Gaussian with C/2 inner channels and a zero-initialised output
//    convolution (identity at start).
//  - Match prior (blocks/match_prior.h): the first deformable layer's offsets are a parameter-free
//    estimate (soft-argmax of 5x5 luminance patch similarity between the LR input and the
//    reference area-downscaled to the LR grid, within +-kPriorRadius = 8 LR pixels) plus the
//    learnt, bounded correction; the first estimator sees the reference features warped by it.
//    Without it the estimators never learnt to find a match more than a pixel or two away and
//    training closed the reference path (docs/SSEN.md). 8 covers the synthetic references' shift
//    of up to 32 HR pixels at x4.
//  - Bounded offsets: each deformable layer's learnt offsets are kMaxOffset * tanh(raw / kMaxOffset)
//    with kMaxOffset = 4 LR pixels. The first layer's taps then reach at most 8 + 4 + 1 = 13 pixels
//    (reference_margin(), 52 reference pixels at x4) and the three stacked layers kReach = 8 + 3 *
//    (4 + 1) = 23 LR pixels. Why 4: the synthetic references are also rescaled by 0.8-1.25 and
//    rotated, which moves content a few pixels more than the shift inside a 24-48-pixel LR crop;
//    a larger bound would enlarge every tile's reference margin for matches training never shows.
//    The bounds are constants, not constructor arguments: the state dict could not tell them.
//  - Self-similarity: without a reference, the reference is the bicubic-upsampled input.
//  - The reference is scale x the input size (the caller resizes it), optionally with a context
//    of c input pixels on every side ((h + 2c) s x (w + 2c) s, centred: the engine's tiles pass
//    c = reference_margin() = 13). The reference features and the match prior are computed on that
//    larger grid and the FIRST deformable layer samples them with its grid shifted by c, so its
//    taps find reference content up to 13 pixels outside the tile instead of zeros. The
//    estimators and the later layers work on the tile grid (the LR input has no such context);
//    their reach at the tile's edges is covered by the engine's ordinary tile overlap.
//  - Memory: the largest non-local attention (1/2 level, softmax input and output alive at once)
//    is 2 x 4 B x (h w / 4)^2 = 0.5 B x p^2 for p = h w input pixels: bytes_per_pixel_squared().
#include "nets/blocks/deform_conv.h"
#include "nets/blocks/fast_conv2d.h"
#include "nets/blocks/offset_estimator.h"
#include "nets/blocks/residual_block.h"
#include "nets/network_spec.h"
#include "nets/restoration_network.h"

#include <torch/nn/pimpl.h>

#include <array>
#include <memory>
#include <utility>
#include <vector>

namespace restora {

/// SSEN's constructor arguments (our names; defaults as above).
struct SsenOptions {
  TORCH_ARG(int64_t, scale) = 4;
  TORCH_ARG(int64_t, n_feats) = 64;
  TORCH_ARG(int64_t, n_feat_blocks) = 4;
  TORCH_ARG(int64_t, n_sr_blocks) = 16;
  TORCH_ARG(int64_t, offset_groups) = 8;
};

/// Offsets and masks of the three stacked deformable layers, on the LR grid.
struct SsenAlignment {
  torch::Tensor aligned;                  ///< R_3 [N, C, h, w]
  std::array<torch::Tensor, 3> offsets;   ///< [N, 2*G*9, h, w] each, in LR pixels
  std::array<torch::Tensor, 3> masks;     ///< [N, G*9, h, w] each, in (0, 1)
};

/// LR [N, 3, h, w] (+ reference [N, 3, s*h, s*w]) -> HR [N, 3, s*h, s*w].
/// Parameters: lr_head, lr_blocks.i, ref_head (3*s^2 -> C after space-to-depth), ref_blocks.i,
/// alignment.i.estimator (OffsetEstimator), alignment.i.deform (DeformConv2d), fusion (1x1 2C -> C),
/// sr_blocks.i, sr_tail, upsampler.j (conv C -> r^2*C before each pixel shuffle by r), to_rgb.
class SsenImpl : public RestorationNetworkImpl {
 public:
  static constexpr double kMaxOffset = 4.0;
  static constexpr int64_t kLayers = 3;
  /// Search radius of the match prior (blocks/match_prior.h) that the first layer's offsets add to.
  static constexpr int64_t kPriorRadius = 8;
  /// How far (LR pixels) the aligned reference features can reach from a pixel: 8 + 3 * (4 + 1).
  static constexpr int64_t kReach = kPriorRadius + kLayers * (static_cast<int64_t>(kMaxOffset) + 1);

  explicit SsenImpl(SsenOptions options = {});

  /// Self-similarity mode: the reference is the bicubic-upsampled input. Returns {HR}.
  std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override;
  /// The engine's entry: {forward_with_reference(input, reference)}.
  std::vector<torch::Tensor> forward_stages_with_reference(const torch::Tensor& input,
                                                           const torch::Tensor& reference) override;
  /// lr [N, 3, h, w], reference [N, 3, s*(h+2c), s*(w+2c)] for a context c >= 0 (usually 0 or
  /// reference_margin(); undefined: self-similarity) -> HR [N, 3, s*h, s*w].
  /// Throws restora::Error(BadInput) when the reference has another size or channel count.
  torch::Tensor forward_with_reference(const torch::Tensor& lr, const torch::Tensor& reference);
  /// The alignment alone (for "where it looked" and tests): the same checks as above.
  SsenAlignment align(const torch::Tensor& lr, const torch::Tensor& reference);

  size_t final_index() const override { return 0; }
  int64_t size_multiple() const override { return 1; }
  double gflop(int64_t height, int64_t width) const override;

  int64_t scale() const { return options.scale(); }
  int64_t internal_scale() const override { return options.scale(); }
  bool takes_reference() const override { return true; }
  /// Reference context the first deformable layer can use, in input pixels per side: 8 + 4 + 1.
  int64_t reference_margin() const override { return kPriorRadius + static_cast<int64_t>(kMaxOffset) + 1; }
  double bytes_per_pixel_squared() const override { return 0.5; }
  /// Elements of the largest non-local attention matrix for an h x w LR tile (one image): the
  /// term quadratic in the tile area of SSEN's memory (x 4 bytes, x 2 while softmax runs).
  static double largest_attention_elements(int64_t height, int64_t width) {
    return OffsetEstimatorImpl::largest_attention_elements(height, width);
  }

  const SsenOptions options;

 private:
  torch::Tensor bicubic_upsample(const torch::Tensor& lr) const;
  void start_alignment_as_identity();
  /// The reference to use (bicubic input when undefined) and its context c, checked.
  std::pair<torch::Tensor, int64_t> checked_reference(const torch::Tensor& lr, const torch::Tensor& reference) const;
  torch::Tensor lr_features(const torch::Tensor& lr);
  torch::Tensor reference_features(const torch::Tensor& reference);
  SsenAlignment align_features(const torch::Tensor& lr, const torch::Tensor& lr_feat, const torch::Tensor& reference,
                               const torch::Tensor& ref_feat, int64_t context);
  torch::Tensor reconstruct(const torch::Tensor& lr, const torch::Tensor& lr_feat, const torch::Tensor& aligned);

  FastConv2d lr_head{nullptr}, ref_head{nullptr}, fusion{nullptr}, sr_tail{nullptr}, to_rgb{nullptr};
  std::vector<ResidualBlock> lr_blocks, ref_blocks, sr_blocks;
  std::vector<OffsetEstimator> estimators;
  std::vector<DeformConv2d> deforms;
  std::vector<FastConv2d> upsampler;
  std::vector<int64_t> shuffle_factors;
};
TORCH_MODULE(Ssen);

/// Builds SSEN from constructor arguments (scale, n_feats, n_feat_blocks, n_sr_blocks,
/// offset_groups; absent ones take the defaults). Throws restora::Error(BadInput) for unknown or
/// invalid arguments.
std::shared_ptr<RestorationNetworkImpl> make_ssen(const ArgMap& args);

}  // namespace restora
