#include "nets/blocks/deform_conv.h"

#include "common/error.h"
#include "nets/blocks/conv_cost.h"

#include <ATen/record_function.h>
#include <torch/nn/functional/vision.h>
#include <torch/nn/init.h>

#include <cmath>
#include <string>

namespace restora {
namespace {

std::string shape_text(const torch::Tensor& t) {
  std::string text = "[";
  for (int64_t d = 0; d < t.dim(); ++d) text += (d ? ", " : "") + std::to_string(t.size(d));
  return text + "]";
}

[[noreturn]] void bad_shape(const std::string& what) {
  throw Error(ErrorKind::BadInput, "deformable convolution: " + what);
}

/// Every shape check of deform_conv2d, with one message per inconsistency.
void check_shapes(const torch::Tensor& input, const torch::Tensor& offset, const torch::Tensor& weight,
                  const torch::Tensor& bias, const torch::Tensor& mask, const DeformGeometry& g) {
  const int64_t taps = g.kernel * g.kernel;
  if (input.dim() != 4 || offset.dim() != 4 || weight.dim() != 4)
    bad_shape("input, offset and weight must be 4-D, got " + shape_text(input) + ", " + shape_text(offset) + ", " +
              shape_text(weight));
  if (weight.size(2) != g.kernel || weight.size(3) != g.kernel)
    bad_shape("weight " + shape_text(weight) + " does not have a " + std::to_string(g.kernel) + "x" +
              std::to_string(g.kernel) + " kernel");
  const int64_t channels = input.size(1);
  if (weight.size(1) <= 0 || channels % weight.size(1) != 0 || weight.size(0) % (channels / weight.size(1)) != 0)
    bad_shape("weight " + shape_text(weight) + " does not fit an input of " + std::to_string(channels) + " channels");
  if (offset.size(0) != input.size(0) || offset.size(1) % (2 * taps) != 0)
    bad_shape("offset " + shape_text(offset) + " is not [N, 2*G*" + std::to_string(taps) + ", Ho, Wo] for input " +
              shape_text(input));
  const int64_t groups = offset.size(1) / (2 * taps);
  if (groups == 0 || channels % groups != 0)
    bad_shape(std::to_string(groups) + " offset groups do not divide " + std::to_string(channels) + " channels");
  if (offset.size(2) != g.output_size(input.size(2)) || offset.size(3) != g.output_size(input.size(3)) ||
      offset.size(2) <= 0 || offset.size(3) <= 0)
    bad_shape("offset " + shape_text(offset) + " does not match the output size of input " + shape_text(input));
  if (mask.defined() && (mask.dim() != 4 || mask.size(0) != offset.size(0) || mask.size(1) != groups * taps ||
                         mask.size(2) != offset.size(2) || mask.size(3) != offset.size(3)))
    bad_shape("mask " + shape_text(mask) + " is not [N, " + std::to_string(groups * taps) + ", Ho, Wo] for offset " +
              shape_text(offset));
  if (bias.defined() && (bias.dim() != 1 || bias.size(0) != weight.size(0)))
    bad_shape("bias " + shape_text(bias) + " does not match weight " + shape_text(weight));
}

}  // namespace

torch::Tensor deform_sampling_positions(const torch::Tensor& offset, const DeformGeometry& g) {
  const int64_t taps = g.kernel * g.kernel;
  const int64_t n = offset.size(0), groups = offset.size(1) / (2 * taps);
  const int64_t out_h = offset.size(2), out_w = offset.size(3);
  const auto options = offset.options();
  // Undeformed position of tap i at output (oy, ox): oy*stride - padding + (i / k)*dilation, and
  // likewise for x with i % k.
  const auto tap = torch::arange(taps, options);
  const auto tap_row = torch::floor(tap / static_cast<double>(g.kernel));
  const auto tap_col = tap - tap_row * static_cast<double>(g.kernel);
  const auto base_y = (tap_row * static_cast<double>(g.dilation)).view({taps, 1, 1}) +
                      (torch::arange(out_h, options) * static_cast<double>(g.stride) - static_cast<double>(g.padding))
                          .view({1, out_h, 1});
  const auto base_x = (tap_col * static_cast<double>(g.dilation)).view({taps, 1, 1}) +
                      (torch::arange(out_w, options) * static_cast<double>(g.stride) - static_cast<double>(g.padding))
                          .view({1, 1, out_w});
  const auto displacement = offset.view({n, groups, taps, 2, out_h, out_w});
  const auto y = displacement.select(3, 0) + base_y;
  const auto x = displacement.select(3, 1) + base_x;
  return torch::stack({y, x}, -1);
}

torch::Tensor deform_columns(const torch::Tensor& input, const torch::Tensor& offset, const torch::Tensor& mask,
                             const DeformGeometry& g) {
  RECORD_FUNCTION("restora::deform_columns", std::vector<c10::IValue>());  // for profiles
  namespace F = torch::nn::functional;
  const int64_t k = g.kernel, taps = k * k;
  const int64_t n = input.size(0), channels = input.size(1), height = input.size(2), width = input.size(3);
  const int64_t groups = offset.size(1) / (2 * taps);
  const int64_t out_h = offset.size(2), out_w = offset.size(3);

  // Tap (ky, kx) of output (oy, ox) goes to pixel (oy*k + ky, ox*k + kx) of the sampled image.
  const auto to_blocks = [&](const torch::Tensor& per_tap, int64_t trailing) {
    // [N, G, k, k, Ho, Wo, trailing...] -> [N*G, k*Ho, k*Wo, trailing...]
    std::vector<int64_t> shape{n, groups, k, k, out_h, out_w};
    std::vector<int64_t> order{0, 1, 4, 2, 5, 3};
    std::vector<int64_t> merged{n * groups, k * out_h, k * out_w};
    if (trailing > 0) {
      shape.push_back(trailing);
      order.push_back(6);
      merged.push_back(trailing);
    }
    return per_tap.reshape(shape).permute(order).reshape(merged);
  };

  // grid_sample's coordinates with align_corners=False: pixel p of a size-S axis is (2p + 1)/S - 1
  // (no division by S - 1, so a 1-pixel axis works). Its bilinear kernel with zero padding drops
  // each out-of-range corner, exactly as torchvision's deformable im2col does.
  const auto positions = deform_sampling_positions(offset, g);  // [N, G, K, Ho, Wo, (y, x)]
  const auto grid_x = (positions.select(-1, 1) * 2.0 + 1.0) / static_cast<double>(width) - 1.0;
  const auto grid_y = (positions.select(-1, 0) * 2.0 + 1.0) / static_cast<double>(height) - 1.0;
  const auto grid = to_blocks(torch::stack({grid_x, grid_y}, -1), 2);

  // Offset groups become batch entries: one call samples every tap of every group.
  const auto grouped_input = input.reshape({n * groups, channels / groups, height, width});
  auto columns = F::grid_sample(grouped_input, grid,
                                F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false));
  // columns [N*G, C/G, k*Ho, k*Wo]; the mask weighs each tap of each group.
  if (mask.defined()) columns = columns * to_blocks(mask, 0).unsqueeze(1);
  return columns.view({n, channels, k * out_h, k * out_w});
}

torch::Tensor deform_conv2d(const torch::Tensor& input, const torch::Tensor& offset, const torch::Tensor& weight,
                            const torch::Tensor& bias, const torch::Tensor& mask, const DeformGeometry& g) {
  check_shapes(input, offset, weight, bias, mask, g);
  RECORD_FUNCTION("restora::deform_conv2d", std::vector<c10::IValue>());  // for profiles
  const auto columns = deform_columns(input, offset, mask, g);
  const std::vector<int64_t> stride{g.kernel, g.kernel}, padding{0, 0}, dilation{1, 1};
  return torch::conv2d(columns, weight, bias, stride, padding, dilation, input.size(1) / weight.size(1));
}

DeformConv2dImpl::DeformConv2dImpl(DeformConv2dOptions options_) : options(std::move(options_)) { reset(); }

void DeformConv2dImpl::reset() {
  const int64_t k = options.kernel_size();
  if (options.offset_groups() <= 0 || options.in_channels() % options.offset_groups() != 0)
    throw Error(ErrorKind::BadInput, "deformable convolution: " + std::to_string(options.offset_groups()) +
                                         " offset groups do not divide " + std::to_string(options.in_channels()) +
                                         " input channels");
  weight = register_parameter("weight", torch::empty({options.out_channels(), options.in_channels(), k, k}));
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (options.bias()) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(options.in_channels() * k * k));
    bias = register_parameter("bias", torch::empty({options.out_channels()}).uniform_(-bound, bound));
  }
}

DeformGeometry DeformConv2dImpl::geometry() const {
  DeformGeometry g;
  g.kernel = options.kernel_size();
  g.stride = options.stride();
  g.padding = options.padding();
  g.dilation = options.dilation();
  return g;
}

torch::Tensor DeformConv2dImpl::forward(const torch::Tensor& input, const torch::Tensor& offset,
                                        const torch::Tensor& mask, int64_t context) {
  DeformGeometry g = geometry();
  g.padding -= context;
  check_shapes(input, offset, weight, bias, mask, g);
  RECORD_FUNCTION("restora::deform_conv2d", std::vector<c10::IValue>());  // for profiles
  const auto columns = deform_columns(input, offset, mask, g);
  // The k x k, stride-k convolution through oneDNN where it can run (float CPU inference).
  ConvGeometry conv;
  conv.stride = {g.kernel, g.kernel};
  auto output = onednn_.run(columns, weight, bias, conv, policy);
  if (output.defined()) return output;
  const std::vector<int64_t> stride{g.kernel, g.kernel};
  return torch::conv2d(columns, weight, bias, stride);
}

double DeformConv2dImpl::macs(int64_t height, int64_t width) const {
  return conv_macs(options.in_channels(), options.out_channels(), options.kernel_size(), height, width);
}

}  // namespace restora
