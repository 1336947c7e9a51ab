#pragma once
// A parameter-free first guess of where each LR pixel's content lies in the reference: SSEN's
// offset estimators, learning from bilinear sampling gradients alone, did not learn to find a
// match more than a pixel or two away (docs/SSEN.md), so the first deformable layer starts from
// this estimate and learns only a correction.
//
// Both images are compared on the LR grid in luminance: every pixel's 5x5 patch, mean removed and
// L2-normalised (patches flatter than kFlatness count as no evidence), is scored by cosine
// similarity against the reference's patches at every displacement within +-radius; the estimate
// is the soft-argmax of those scores (softmax with kMatchSharpness: 20 pulled a 5-pixel shift of
// a Set14 photo to 4.3, 100 finds it), with a small bonus for the zero displacement so that it
// stays near 0 where nothing matches clearly (flat or unrelated content); at most `radius` in y and x. Streams over displacements with an
// online softmax: memory O(pixels), not O(pixels x displacements). No gradient is needed: it
// depends on the images only.
#include <torch/types.h>

#include <cstdint>

namespace restora {

struct MatchPrior {
  torch::Tensor displacement;  ///< [N, 2, h, w]: (y, x) in LR pixels, each in [-radius, radius]
  torch::Tensor confidence;    ///< [N, 1, h, w]: the best cosine similarity, in [-1, 1]
};

constexpr double kMatchSharpness = 100.0;

/// lr [N, 3, h, w]; reference_lr [N, 3, h + 2c, w + 2c]: the reference on the LR grid with c
/// pixels of context per side (content at LR position p is at p + c in it).
MatchPrior estimate_match_prior(const torch::Tensor& lr, const torch::Tensor& reference_lr, int64_t context,
                                int64_t radius, double sharpness = kMatchSharpness);

/// Samples features [N, C, h + 2c, w + 2c] (c = context) at (y + c + dy, x + c + dx) for every
/// (y, x) of the h x w grid and displacement [N, 2, h, w]: bilinear, zeros outside.
torch::Tensor warp_by_displacement(const torch::Tensor& features, const torch::Tensor& displacement, int64_t context);

}  // namespace restora
