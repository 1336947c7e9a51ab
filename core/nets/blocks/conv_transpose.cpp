#include "nets/blocks/conv_transpose.h"

#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/padding.h>
#include <torch/nn/init.h>

#include <c10/core/InferenceMode.h>
#include <torch/autograd.h>

namespace restora {
namespace {

namespace F = torch::nn::functional;

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Geometry of one spatial dimension of the phase decomposition.
///
/// A transposed convolution writes input row i, kernel tap t to full-output row s*i + t*d
/// (before the padding p is cropped away). Full-output row y = s*q + r therefore only receives
/// kernel taps t with t*d = r (mod s): each of the s phases r is an ordinary correlation of the
/// input with a sub-kernel of `taps` elements. Phases with fewer taps get zero taps so that all
/// of them share one kernel size and run as one convolution with s*s*out channels.
struct PhaseGeometry {
  int64_t stride = 1;
  int64_t taps = 1;         ///< sub-kernel length T = ceil(k_eff / s)
  int64_t extra_right = 0;  ///< zero rows appended to the input beyond the T-1 of the convolution
  int64_t crop_start = 0;   ///< = padding
  int64_t out_size = 0;     ///< (n-1)*s - 2p + k_eff + op

  PhaseGeometry(int64_t in_size, int64_t kernel_eff, int64_t stride_, int64_t padding, int64_t output_padding)
      : stride(stride_), taps(ceil_div(kernel_eff, stride_)), crop_start(padding) {
    out_size = (in_size - 1) * stride - 2 * padding + kernel_eff + output_padding;
    // The convolution yields q = 0 .. n+T-2 per phase, i.e. s*(n+T-1) full-output rows; output
    // padding can ask for rows past them, which only receive the bias: extend the input by zeros.
    const int64_t phases_needed = ceil_div(padding + out_size, stride);
    extra_right = std::max<int64_t>(0, phases_needed - (in_size + taps - 1));
  }
};

/// Where phase r lands in one output dimension: output rows first_output, +s, ... (count of
/// them) are phase rows first_phase_row, +1, ... (full-output row q*s + r, shifted by the crop).
struct PhaseSpan {
  int64_t first_output = 0;
  int64_t first_phase_row = 0;
  int64_t count = 0;
};

PhaseSpan phase_span(const PhaseGeometry& g, int64_t r) {
  PhaseSpan span;
  span.first_output = ((r - g.crop_start) % g.stride + g.stride) % g.stride;
  span.first_phase_row = (span.first_output + g.crop_start - r) / g.stride;
  span.count = span.first_output < g.out_size ? ceil_div(g.out_size - span.first_output, g.stride) : 0;
  return span;
}

/// [in, out/g, kh, kw] -> the same taps spread out by the dilation (zeros in between).
torch::Tensor undilate(const torch::Tensor& weight, int64_t dh, int64_t dw) {
  if (dh == 1 && dw == 1) return weight;
  const int64_t kh = weight.size(2), kw = weight.size(3);
  auto spread = torch::zeros({weight.size(0), weight.size(1), dh * (kh - 1) + 1, dw * (kw - 1) + 1}, weight.options());
  using torch::indexing::Slice;
  spread.index_put_({Slice(), Slice(), Slice(0, torch::indexing::None, dh), Slice(0, torch::indexing::None, dw)},
                    weight);
  return spread;
}

/// Transposed-convolution weight [in, out/g, k, k] -> phase-convolution weight
/// [out*sh*sw, in/g, Th, Tw], output channel o*sh*sw + rh*sw + rw holding phase (rh, rw) of o.
torch::Tensor phase_weight(const torch::Tensor& weight, int64_t groups, const PhaseGeometry& h,
                           const PhaseGeometry& w) {
  const int64_t in = weight.size(0), out_per_group = weight.size(1);
  // Pad the kernel to T*s taps so that tap index t*s + r splits into (t, r).
  auto padded = F::pad(weight, F::PadFuncOptions({0, w.taps * w.stride - weight.size(3), 0,
                                                  h.taps * h.stride - weight.size(2)}));
  auto split = padded.view({groups, in / groups, out_per_group, h.taps, h.stride, w.taps, w.stride});
  // Correlation runs over the input forwards while tap t reaches back t rows: flip t.
  split = split.flip({3, 5});
  // -> [g, out/g, rh, rw, in/g, Th, Tw]
  return split.permute({0, 2, 4, 6, 1, 3, 5})
      .reshape({groups * out_per_group * h.stride * w.stride, in / groups, h.taps, w.taps});
}

}  // namespace

FastConvTranspose2dImpl::FastConvTranspose2dImpl(torch::nn::ConvTranspose2dOptions options_)
    : options(std::move(options_)) {
  reset();
}

void FastConvTranspose2dImpl::reset() {
  const auto& k = options.kernel_size();
  weight = register_parameter(
      "weight", torch::empty({options.in_channels(), options.out_channels() / options.groups(), k->at(0), k->at(1)}));
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (options.bias()) {
    bias = register_parameter("bias", torch::zeros({options.out_channels()}));
  }
}

std::pair<torch::Tensor, torch::Tensor> FastConvTranspose2dImpl::phase_parameters(int64_t kernel_h, int64_t kernel_w) {
  const auto& stride = *options.stride();
  const auto& dilation = *options.dilation();
  auto build = [&] {
    const auto kernel = undilate(weight, dilation[0], dilation[1]);
    const PhaseGeometry h(1, kernel_h, stride[0], 0, 0), w(1, kernel_w, stride[1], 0, 0);
    auto phase_bias = bias.defined() ? bias.repeat_interleave(h.stride * w.stride) : torch::Tensor();
    return std::make_pair(phase_weight(kernel, options.groups(), h, w), phase_bias);
  };
  const bool needs_graph = torch::GradMode::is_enabled() && (weight.requires_grad() || (bias.defined() && bias.requires_grad()));
  // Parameters created under InferenceMode have no version counter to tell when they change.
  const bool untracked = weight.is_inference() || (bias.defined() && bias.is_inference());
  if (needs_graph || untracked) return build();
  const int64_t bias_version = bias.defined() ? bias._version() : 0;
  const std::lock_guard<std::mutex> lock(cache_lock_.mutex);
  if (!cache_.weight.defined() || cache_.weight_impl != weight.unsafeGetTensorImpl() ||
      cache_.weight_version != weight._version() || cache_.bias_version != bias_version) {
    // Built outside inference mode so that the cache stays usable by any later caller.
    c10::InferenceMode normal_tensors(false);
    auto [phase_w, phase_b] = build();
    cache_ = {weight.unsafeGetTensorImpl(), weight._version(), bias_version, phase_w, phase_b};
  }
  return {cache_.weight, cache_.bias};
}

torch::Tensor FastConvTranspose2dImpl::forward(const torch::Tensor& input) {
  auto output = run(input, {});
  return output.defined() ? output : reference_forward(input);
}

torch::Tensor FastConvTranspose2dImpl::try_fused(const torch::Tensor& input, const ConvPostOps& post) {
  TORCH_CHECK(!post.residual.defined(), "FastConvTranspose2d fuses activations only");
  return run(input, post);
}

torch::Tensor FastConvTranspose2dImpl::run(const torch::Tensor& input, const ConvPostOps& post) {
  if (input.dim() != 4) return {};

  const auto& stride = *options.stride();
  const auto& padding = *options.padding();
  const auto& output_padding = *options.output_padding();
  const auto& dilation = *options.dilation();
  const int64_t kernel_h = dilation[0] * (weight.size(2) - 1) + 1, kernel_w = dilation[1] * (weight.size(3) - 1) + 1;
  const PhaseGeometry h(input.size(2), kernel_h, stride[0], padding[0], output_padding[0]);
  const PhaseGeometry w(input.size(3), kernel_w, stride[1], padding[1], output_padding[1]);
  if (h.out_size <= 0 || w.out_size <= 0) return {};  // the reference reports it

  const auto [phase_w, phase_b] = phase_parameters(kernel_h, kernel_w);
  auto source = input;
  if (h.extra_right > 0 || w.extra_right > 0) {
    source = F::pad(input, F::PadFuncOptions({0, w.extra_right, 0, h.extra_right}));
  }
  ConvGeometry geometry;
  geometry.padding = {h.taps - 1, w.taps - 1};
  geometry.groups = options.groups();
  // An activation commutes with the interleaving: it runs on the phases, inside the convolution.
  auto phases = onednn_.run(source, phase_w, phase_b, geometry, policy, post);
  if (!phases.defined()) {
    if (post.activation) return {};
    phases = F::conv2d(source, phase_w,
                       F::Conv2dFuncOptions().bias(phase_b).padding({h.taps - 1, w.taps - 1}).groups(options.groups()));
  }

  // Interleave the phases (pixel shuffle, with possibly different strides per axis) and crop the
  // padding in one pass: each phase fills every s-th row and column of the output. (A permuted
  // copy, a reshape and a cropping copy took three passes: MIRNet moved ~100 MB per up-sampling.)
  const int64_t n = phases.size(0), out = options.out_channels();
  // Channels-last where the convolution wrote that (as OnednnConv returns it): writing it planar
  // would transpose it as well (MIRNet's 128-channel up-sampling: 27 ms planar, 6 channels-last).
  const bool channels_last = input.suggest_memory_format() == at::MemoryFormat::ChannelsLast ||
                             phases.suggest_memory_format() == at::MemoryFormat::ChannelsLast;
  auto result = torch::empty({n, out, h.out_size, w.out_size},
                             input.options().memory_format(channels_last ? at::MemoryFormat::ChannelsLast
                                                                         : at::MemoryFormat::Contiguous));
  const auto by_phase = phases.view({n, out, h.stride, w.stride, phases.size(2), phases.size(3)});
  for (int64_t rh = 0; rh < h.stride; ++rh) {
    const auto rows = phase_span(h, rh);
    if (rows.count == 0) continue;
    for (int64_t rw = 0; rw < w.stride; ++rw) {
      const auto cols = phase_span(w, rw);
      if (cols.count == 0) continue;
      result.slice(2, rows.first_output, h.out_size, h.stride)
          .slice(3, cols.first_output, w.out_size, w.stride)
          .copy_(by_phase.select(3, rw)
                     .select(2, rh)
                     .narrow(2, rows.first_phase_row, rows.count)
                     .narrow(3, cols.first_phase_row, cols.count));
    }
  }
  return result;
}

torch::Tensor FastConvTranspose2dImpl::reference_forward(const torch::Tensor& input) const {
  return F::conv_transpose2d(input, weight,
                             F::ConvTranspose2dFuncOptions()
                                 .bias(bias)
                                 .stride(options.stride())
                                 .padding(options.padding())
                                 .output_padding(options.output_padding())
                                 .groups(options.groups())
                                 .dilation(options.dilation()));
}

}  // namespace restora
