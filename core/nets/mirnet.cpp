#include "nets/mirnet.h"

#include "common/error.h"
#include "nets/blocks/mirnet_common.h"

#include <set>
#include <string>

namespace restora {
namespace {

void require(bool condition, const std::string& message) {
  if (!condition) throw Error(ErrorKind::BadInput, "MIRNet: " + message);
}

void validate(const MirnetOptions& o) {
  require(o.in_channels > 0 && o.out_channels > 0, "in_channels and out_channels must be positive");
  require(o.in_channels == o.out_channels || o.in_channels == 1,
          "the output adds the input, so out_channels must equal in_channels (or in_channels be 1)");
  require(o.kernel_size > 0 && o.kernel_size % 2 == 1, "kernel_size must be odd and positive, got " +
                                                           std::to_string(o.kernel_size));
  require(o.n_feat >= 8, "n_feat must be at least 8 (channel attention uses n_feat // 8), got " +
                             std::to_string(o.n_feat));
  require(o.height >= 1 && o.height <= 8, "height must be between 1 and 8, got " + std::to_string(o.height));
  require(o.width >= 1, "width must be at least 1, got " + std::to_string(o.width));
  require(o.n_RRG >= 0 && o.n_MSRB >= 0, "n_RRG and n_MSRB must not be negative");
  // The residual resamplers always double/halve the channels, while the DAUs of level i have
  // n_feat * stride^i: any other stride only runs without extra scales.
  require(o.stride == 2 || o.height == 1, "stride must be 2 (the residual resamplers double the channels), got " +
                                              std::to_string(o.stride));
}

}  // namespace

MirnetRrgImpl::MirnetRrgImpl(const MirnetOptions& options, const torch::nn::PReLU& dau_act)
    : n_feat_(options.n_feat) {
  auto body = mirnet::add_path(*this, "body");
  const mirnet::MsrbOptions msrb{options.n_feat, options.height, options.width, options.bias};
  for (int64_t i = 0; i < options.n_MSRB; ++i)
    msrbs_.push_back(body->register_module(std::to_string(i), mirnet::Msrb(msrb, dau_act)));
  tail_ = body->register_module(std::to_string(options.n_MSRB), same_conv(n_feat_, n_feat_, 3, false));
}

torch::Tensor MirnetRrgImpl::forward(const torch::Tensor& x) {
  torch::Tensor h = x;
  for (auto& msrb : msrbs_) h = msrb(h);
  return tail_(h).add_(x);
}

double MirnetRrgImpl::macs(int64_t h, int64_t w) const {
  double total = conv_macs(n_feat_, n_feat_, 3, h, w);
  for (const auto& msrb : msrbs_) total += msrb->macs(h, w);
  return total;
}

MirnetImpl::MirnetImpl(const MirnetOptions& options) : options_(options) {
  validate(options_);
  conv_in_ = register_module("conv_in", same_conv(options_.in_channels, options_.n_feat,
                                                          options_.kernel_size, options_.bias));
  // The official DAU's default argument act=nn.PReLU() is built once: every DAU shares it.
  const torch::nn::PReLU dau_act;
  auto body = mirnet::add_path(*this, "body");
  for (int64_t i = 0; i < options_.n_RRG; ++i)
    groups_.push_back(body->register_module(std::to_string(i), MirnetRrg(options_, dau_act)));
  conv_out_ = register_module("conv_out", same_conv(options_.n_feat, options_.out_channels,
                                                            options_.kernel_size, options_.bias));
}

std::vector<torch::Tensor> MirnetImpl::forward_stages(const torch::Tensor& input) {
  const int64_t multiple = size_multiple();
  if (input.dim() != 4 || input.size(1) != options_.in_channels || input.size(2) % multiple != 0 ||
      input.size(3) % multiple != 0)
    throw Error(ErrorKind::BadInput, "MIRNet expects [N, " + std::to_string(options_.in_channels) +
                                         ", H, W] with H and W multiples of " + std::to_string(multiple) +
                                         ", got " + c10::str(input.sizes()));
  torch::Tensor h = conv_in_(input);
  for (auto& group : groups_) h = group(h);
  return {conv_out_(h) + input};
}

double MirnetImpl::gflop(int64_t height, int64_t width) const {
  double macs = conv_macs(options_.in_channels, options_.n_feat, options_.kernel_size, height, width) +
                conv_macs(options_.n_feat, options_.out_channels, options_.kernel_size, height, width);
  for (const auto& group : groups_) macs += group->macs(height, width);
  return 2.0 * macs / 1e9;
}

MirnetOptions mirnet_options(const ArgMap& args) {
  static const std::set<std::string> known{"in_channels", "out_channels", "n_feat", "kernel_size", "stride", "n_RRG", "n_MSRB", "height", "width", "bias"};
  for (const auto& entry : args)
    require(known.count(entry.first) == 1, "unknown constructor argument '" + entry.first + "'");
  MirnetOptions o;
  o.in_channels = arg_int(args, "in_channels", o.in_channels);
  o.out_channels = arg_int(args, "out_channels", o.out_channels);
  o.n_feat = arg_int(args, "n_feat", o.n_feat);
  o.kernel_size = arg_int(args, "kernel_size", o.kernel_size);
  o.stride = arg_int(args, "stride", o.stride);
  o.n_RRG = arg_int(args, "n_RRG", o.n_RRG);
  o.n_MSRB = arg_int(args, "n_MSRB", o.n_MSRB);
  o.height = arg_int(args, "height", o.height);
  o.width = arg_int(args, "width", o.width);
  o.bias = arg_bool(args, "bias", o.bias);
  validate(o);
  return o;
}

std::shared_ptr<RestorationNetworkImpl> make_mirnet(const ArgMap& args) {
  return std::make_shared<MirnetImpl>(mirnet_options(args));
}

}  // namespace restora
