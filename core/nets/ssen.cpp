#include "nets/ssen.h"

#include "common/error.h"
#include "nets/blocks/conv_cost.h"
#include "nets/blocks/match_prior.h"

#include <torch/nn/functional/pooling.h>
#include <torch/nn/functional/upsampling.h>
#include <torch/nn/modules/container/modulelist.h>

#include <algorithm>
#include <string>

namespace restora {
namespace {

std::string size_text(const torch::Tensor& t) {
  std::string text;
  for (int64_t d = 0; d < t.dim(); ++d) text += (d ? "x" : "") + std::to_string(t.size(d));
  return text;
}

/// Residual blocks registered as `name`.0, `name`.1, ...
std::vector<ResidualBlock> residual_blocks(torch::nn::Module& owner, const std::string& name, int64_t count,
                                           int64_t channels) {
  torch::nn::ModuleList list;
  std::vector<ResidualBlock> blocks;
  for (int64_t i = 0; i < count; ++i) {
    blocks.emplace_back(channels);
    list->push_back(blocks.back());
  }
  owner.register_module(name, list);
  return blocks;
}

torch::Tensor run_blocks(const std::vector<ResidualBlock>& blocks, torch::Tensor x) {
  for (auto block : blocks) x = block->forward(x);  // a holder copy: forward is not const
  return x;
}

/// Pixel-shuffle factors for an SR scale: 2 -> {2}, 3 -> {3}, 4 -> {2, 2}.
std::vector<int64_t> shuffle_factors_for(int64_t scale) {
  if (scale == 4) return {2, 2};
  return {scale};
}

}  // namespace

SsenImpl::SsenImpl(SsenOptions options_) : options(options_) {
  const int64_t c = options.n_feats(), s = options.scale();
  lr_head = register_module("lr_head", same_conv(3, c, 3));
  lr_blocks = residual_blocks(*this, "lr_blocks", options.n_feat_blocks(), c);
  ref_head = register_module("ref_head", same_conv(3 * s * s, c, 3));
  ref_blocks = residual_blocks(*this, "ref_blocks", options.n_feat_blocks(), c);

  torch::nn::ModuleList alignment;
  for (int64_t i = 0; i < kLayers; ++i) {
    estimators.emplace_back(c, options.offset_groups(), 3, kMaxOffset);
    deforms.emplace_back(DeformConv2dOptions(c, c, 3).padding(1).offset_groups(options.offset_groups()));
    auto layer = std::make_shared<torch::nn::Module>();
    layer->register_module("estimator", estimators.back());
    layer->register_module("deform", deforms.back());
    alignment->push_back(layer);
  }
  register_module("alignment", alignment);
  start_alignment_as_identity();

  fusion = register_module("fusion", same_conv(2 * c, c, 1));
  sr_blocks = residual_blocks(*this, "sr_blocks", options.n_sr_blocks(), c);
  sr_tail = register_module("sr_tail", same_conv(c, c, 3));
  torch::nn::ModuleList up;
  shuffle_factors = shuffle_factors_for(s);
  for (const int64_t r : shuffle_factors) {
    upsampler.push_back(same_conv(c, r * r * c, 3));
    up->push_back(upsampler.back());
  }
  register_module("upsampler", up);
  to_rgb = register_module("to_rgb", same_conv(c, 3, 3));
}

void SsenImpl::start_alignment_as_identity() {
  // Each deformable layer begins as the identity at the estimators' initial mask of 0.5 (centre
  // tap 2 from channel c to c, other taps and bias 0): R_3 starts as the reference features
  // themselves. With Kaiming init the three layers shrank the reference signal ~40x (|R_3| 0.025)
  // and training learned to ignore the reference (same PSNR with the ground truth as reference).
  torch::NoGradGuard no_grad;
  for (auto& deform : deforms) {
    deform->weight.zero_();
    const int64_t channels = std::min(deform->weight.size(0), deform->weight.size(1));
    const int64_t centre = deform->weight.size(2) / 2;
    for (int64_t c = 0; c < channels; ++c) deform->weight[c][c][centre][centre] = 2.0;
    if (deform->bias.defined()) deform->bias.zero_();
  }
}

torch::Tensor SsenImpl::bicubic_upsample(const torch::Tensor& lr) const {
  namespace F = torch::nn::functional;
  const int64_t s = options.scale();
  return F::interpolate(lr, F::InterpolateFuncOptions()
                                .size(std::vector<int64_t>{lr.size(2) * s, lr.size(3) * s})
                                .mode(torch::kBicubic)
                                .align_corners(false));
}

std::pair<torch::Tensor, int64_t> SsenImpl::checked_reference(const torch::Tensor& lr,
                                                               const torch::Tensor& reference) const {
  if (lr.dim() != 4 || lr.size(1) != 3 || lr.size(2) < 1 || lr.size(3) < 1)
    throw Error(ErrorKind::BadInput, "SSEN: the input must be [N, 3, h, w], got " + size_text(lr));
  if (!reference.defined()) return {bicubic_upsample(lr), 0};
  const int64_t s = options.scale(), h = lr.size(2), w = lr.size(3);
  const int64_t context = reference.dim() == 4 ? (reference.size(2) / s - h) / 2 : 0;
  if (reference.dim() != 4 || reference.size(0) != lr.size(0) || reference.size(1) != 3 || context < 0 ||
      reference.size(2) != s * (h + 2 * context) || reference.size(3) != s * (w + 2 * context))
    throw Error(ErrorKind::BadInput, "SSEN: the reference is " + size_text(reference) + ", expected " +
                                         std::to_string(lr.size(0)) + "x3x" + std::to_string(s * h) + "x" +
                                         std::to_string(s * w) + " (x" + std::to_string(s) +
                                         " the input, plus the same context on every side; resize it first)");
  return {reference, context};
}

torch::Tensor SsenImpl::lr_features(const torch::Tensor& lr) { return run_blocks(lr_blocks, lr_head->forward(lr)); }

torch::Tensor SsenImpl::reference_features(const torch::Tensor& reference) {
  // Space-to-depth puts every reference pixel on the LR grid without losing any of them.
  return run_blocks(ref_blocks, ref_head->forward(torch::pixel_unshuffle(reference, options.scale())));
}

SsenAlignment SsenImpl::align_features(const torch::Tensor& lr, const torch::Tensor& lr_feat,
                                       const torch::Tensor& reference, const torch::Tensor& ref_feat,
                                       int64_t context) {
  namespace F = torch::nn::functional;
  const int64_t s = options.scale();
  const auto reference_lr = F::avg_pool2d(reference, F::AvgPool2dFuncOptions(s).stride(s));
  const auto prior = estimate_match_prior(lr, reference_lr, context, kPriorRadius).displacement;
  SsenAlignment out;
  out.aligned = ref_feat;
  for (int64_t i = 0; i < kLayers; ++i) {
    // Only R_0 carries the context: the first estimator sees it warped onto the tile grid by the
    // match prior (so it judges and corrects that guess), the first deformable layer samples all
    // of it; the later layers refine on the tile grid.
    const int64_t c = i == 0 ? context : 0;
    const auto seen = i == 0 ? warp_by_displacement(out.aligned, prior, context) : out.aligned;
    auto estimate = estimators[i]->forward(torch::cat({lr_feat, seen}, 1));
    if (i == 0) estimate.offset = estimate.offset + prior.repeat({1, estimate.offset.size(1) / 2, 1, 1});
    out.aligned = deforms[i]->forward(out.aligned, estimate.offset, estimate.mask, c);
    out.offsets[i] = estimate.offset;
    out.masks[i] = estimate.mask;
  }
  return out;
}

torch::Tensor SsenImpl::reconstruct(const torch::Tensor& lr, const torch::Tensor& lr_feat,
                                    const torch::Tensor& aligned) {
  const auto fused = fusion->forward(torch::cat({lr_feat, aligned}, 1));
  auto x = sr_tail->forward(run_blocks(sr_blocks, fused)) + fused;
  for (size_t j = 0; j < upsampler.size(); ++j) x = torch::pixel_shuffle(upsampler[j]->forward(x), shuffle_factors[j]);
  return to_rgb->forward(x) + bicubic_upsample(lr);
}

SsenAlignment SsenImpl::align(const torch::Tensor& lr, const torch::Tensor& reference) {
  const auto [ref, context] = checked_reference(lr, reference);
  return align_features(lr, lr_features(lr), ref, reference_features(ref), context);
}

torch::Tensor SsenImpl::forward_with_reference(const torch::Tensor& lr, const torch::Tensor& reference) {
  const auto [ref, context] = checked_reference(lr, reference);
  const auto lr_feat = lr_features(lr);
  return reconstruct(lr, lr_feat, align_features(lr, lr_feat, ref, reference_features(ref), context).aligned);
}

std::vector<torch::Tensor> SsenImpl::forward_stages_with_reference(const torch::Tensor& input,
                                                                   const torch::Tensor& reference) {
  return {forward_with_reference(input, reference)};
}

std::vector<torch::Tensor> SsenImpl::forward_stages(const torch::Tensor& input) {
  return {forward_with_reference(input, torch::Tensor())};
}

double SsenImpl::gflop(int64_t h, int64_t w) const {
  const int64_t c = options.n_feats(), s = options.scale();
  double macs = conv_macs(3, c, 3, h, w) + conv_macs(3 * s * s, c, 3, h, w);
  for (const auto* blocks : {&lr_blocks, &ref_blocks, &sr_blocks})
    for (const auto& block : *blocks) macs += block->macs(h, w);
  for (int64_t i = 0; i < kLayers; ++i) macs += estimators[i]->macs(h, w) + deforms[i]->macs(h, w);
  macs += conv_macs(2 * c, c, 1, h, w) + conv_macs(c, c, 3, h, w);
  int64_t uh = h, uw = w;
  for (const int64_t r : shuffle_factors) {
    macs += conv_macs(c, r * r * c, 3, uh, uw);
    uh *= r;
    uw *= r;
  }
  macs += conv_macs(c, 3, 3, uh, uw);
  return 2.0 * macs / 1e9;
}

std::shared_ptr<RestorationNetworkImpl> make_ssen(const ArgMap& args) {
  static const char* const known[] = {"scale", "n_feats", "n_feat_blocks", "n_sr_blocks", "offset_groups"};
  for (const auto& [name, value] : args) {
    if (std::find(std::begin(known), std::end(known), name) == std::end(known))
      throw Error(ErrorKind::BadInput, "SSEN has no constructor argument '" + name + "'");
  }
  SsenOptions options;
  options.scale(arg_int(args, "scale", 4))
      .n_feats(arg_int(args, "n_feats", 64))
      .n_feat_blocks(arg_int(args, "n_feat_blocks", 4))
      .n_sr_blocks(arg_int(args, "n_sr_blocks", 16))
      .offset_groups(arg_int(args, "offset_groups", 8));
  const auto require = [](bool ok, const std::string& message) {
    if (!ok) throw Error(ErrorKind::BadInput, "SSEN: " + message);
  };
  require(options.scale() >= 2 && options.scale() <= 4, "scale must be 2, 3 or 4");
  require(options.n_feats() >= 2 && options.n_feats() <= 1024, "n_feats must be between 2 and 1024");
  require(options.n_feat_blocks() >= 0 && options.n_feat_blocks() <= 64, "n_feat_blocks must be between 0 and 64");
  require(options.n_sr_blocks() >= 0 && options.n_sr_blocks() <= 256, "n_sr_blocks must be between 0 and 256");
  require(options.offset_groups() >= 1 && options.n_feats() % options.offset_groups() == 0,
          "offset_groups must divide n_feats");
  return std::make_shared<SsenImpl>(options);
}

}  // namespace restora
