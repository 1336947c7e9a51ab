#include "nets/mprnet.h"

#include "common/error.h"
#include "nets/blocks/conv_cost.h"

namespace restora {
namespace {

/// Stage-1 features of two side-by-side quarters -> features of their half (concatenated along W).
MprnetLevels join_width(const MprnetLevels& left, const MprnetLevels& right) {
  MprnetLevels joined;
  for (size_t l = 0; l < joined.size(); ++l) joined[l] = torch::cat({left[l], right[l]}, 3);
  return joined;
}

/// Stage-2 features of the top and bottom halves -> full-image features (concatenated along H).
MprnetLevels join_height(const MprnetLevels& top, const MprnetLevels& bottom) {
  MprnetLevels joined;
  for (size_t l = 0; l < joined.size(); ++l) joined[l] = torch::cat({top[l], bottom[l]}, 2);
  return joined;
}

}  // namespace

MprnetImpl::MprnetImpl(MprnetOptions options_) : options(options_) {
  // One PReLU for the whole model, as in the official __init__ (act = nn.PReLU()).
  act = torch::nn::PReLU();
  MprnetBlockConfig config{options.n_feat(),      options.scale_unetfeats(), options.scale_orsnetfeats(),
                           options.num_cab(),     options.kernel_size(),     options.reduction(),
                           options.bias(),        act};
  const int64_t n = options.n_feat(), k = options.kernel_size();
  const bool bias = options.bias();
  auto shallow = [&](const std::string& name) {
    return register_module(name, torch::nn::Sequential(same_conv(3, n, k, bias), config.cab(n)));
  };
  shallow_feat1 = shallow("shallow_feat1");
  shallow_feat2 = shallow("shallow_feat2");
  shallow_feat3 = shallow("shallow_feat3");
  stage1_encoder = register_module("stage1_encoder", MprnetEncoder(config, false));
  stage1_decoder = register_module("stage1_decoder", MprnetDecoder(config));
  stage2_encoder = register_module("stage2_encoder", MprnetEncoder(config, true));
  stage2_decoder = register_module("stage2_decoder", MprnetDecoder(config));
  stage3_orsnet = register_module("stage3_orsnet", MprnetOrsNet(config));
  sam12 = register_module("sam12", mprnet_sam(n, bias));
  sam23 = register_module("sam23", mprnet_sam(n, bias));
  concat12 = register_module("concat12", same_conv(2 * n, n, k, bias));
  concat23 = register_module("concat23", same_conv(2 * n, n + options.scale_orsnetfeats(), k, bias));
  tail = register_module("tail", same_conv(n + options.scale_orsnetfeats(), 3, k, bias));
}

std::vector<torch::Tensor> MprnetImpl::forward_stages(const torch::Tensor& input) {
  const auto x3_img = input.contiguous(channels_last_ ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
  const int64_t height = x3_img.size(2), width = x3_img.size(3);
  const int64_t half_h = height / 2, half_w = width / 2;
  const auto x2top_img = x3_img.narrow(2, 0, half_h);
  const auto x2bot_img = x3_img.narrow(2, half_h, height - half_h);
  auto left = [&](const torch::Tensor& t) { return t.narrow(3, 0, half_w); };
  auto right = [&](const torch::Tensor& t) { return t.narrow(3, half_w, width - half_w); };

  // Stage 1: four quarters through one encoder; each half decoded on its own.
  auto encode1 = [&](const torch::Tensor& quarter) {
    return stage1_encoder->forward(shallow_feat1->forward(quarter));
  };
  const auto feat1_top = join_width(encode1(left(x2top_img)), encode1(right(x2top_img)));
  const auto feat1_bot = join_width(encode1(left(x2bot_img)), encode1(right(x2bot_img)));
  const auto res1_top = stage1_decoder->forward(feat1_top);
  const auto res1_bot = stage1_decoder->forward(feat1_bot);
  const auto [x2top_samfeats, stage1_img_top] = sam12->forward(res1_top[0], x2top_img);
  const auto [x2bot_samfeats, stage1_img_bot] = sam12->forward(res1_bot[0], x2bot_img);
  auto stage1_img = torch::cat({stage1_img_top, stage1_img_bot}, 2);

  // Stage 2: two halves with cross-stage feature fusion, one decoder at full size.
  auto encode2 = [&](const torch::Tensor& half, const torch::Tensor& samfeats, const MprnetLevels& enc,
                     const MprnetLevels& dec) {
    const auto fused = concat12->forward(torch::cat({shallow_feat2->forward(half), samfeats}, 1));
    return stage2_encoder->forward(fused, enc, dec);
  };
  const auto feat2 = join_height(encode2(x2top_img, x2top_samfeats, feat1_top, res1_top),
                                 encode2(x2bot_img, x2bot_samfeats, feat1_bot, res1_bot));
  const auto res2 = stage2_decoder->forward(feat2);
  auto [x3_samfeats, stage2_img] = sam23->forward(res2[0], x3_img);

  // Stage 3: original resolution.
  auto x3 = concat23->forward(torch::cat({shallow_feat3->forward(x3_img), x3_samfeats}, 1));
  x3 = stage3_orsnet->forward(x3, feat2, res2);
  auto stage3_img = tail->forward(x3) + x3_img;
  return {stage3_img.contiguous(), stage2_img.contiguous(), stage1_img.contiguous()};
}

double MprnetImpl::gflop(int64_t height, int64_t width) const {
  const int64_t n = options.n_feat(), k = options.kernel_size(), ors = n + options.scale_orsnetfeats();
  const int64_t half_h = height / 2, half_w = width / 2;
  auto shallow_macs = [&](int64_t h, int64_t w) {
    return conv_macs(3, n, k, h, w) + conv_macs(n, n, k, h, w) * 2 + 2 * conv_macs(n, n / options.reduction(), 1, 1, 1);
  };
  double macs = 0;
  // Stage 1: four quarters encoded, two halves decoded, SAM per half.
  macs += 4 * (shallow_macs(half_h, half_w) + stage1_encoder->macs(half_h, half_w));
  macs += 2 * (stage1_decoder->macs(half_h, width) + sam12->macs(half_h, width));
  // Stage 2: two halves encoded, one decoder at full size.
  macs += 2 * (shallow_macs(half_h, width) + conv_macs(2 * n, n, k, half_h, width) + stage2_encoder->macs(half_h, width));
  macs += stage2_decoder->macs(height, width) + sam23->macs(height, width);
  // Stage 3.
  macs += shallow_macs(height, width) + conv_macs(2 * n, ors, k, height, width) + stage3_orsnet->macs(height, width) +
          conv_macs(ors, 3, k, height, width);
  return 2 * macs / 1e9;
}

std::shared_ptr<RestorationNetworkImpl> make_mprnet(const ArgMap& args) {
  static const char* const known[] = {"in_c",    "out_c",       "n_feat",    "scale_unetfeats", "scale_orsnetfeats",
                                      "num_cab", "kernel_size", "reduction", "bias"};
  for (const auto& [name, value] : args) {
    if (std::find(std::begin(known), std::end(known), name) == std::end(known)) {
      throw Error(ErrorKind::BadInput, "MPRNet has no constructor argument '" + name + "'");
    }
  }
  MprnetOptions options;
  options.in_c(arg_int(args, "in_c", 3))
      .out_c(arg_int(args, "out_c", 3))
      .n_feat(arg_int(args, "n_feat", 96))
      .scale_unetfeats(arg_int(args, "scale_unetfeats", 48))
      .scale_orsnetfeats(arg_int(args, "scale_orsnetfeats", 32))
      .num_cab(arg_int(args, "num_cab", 8))
      .kernel_size(arg_int(args, "kernel_size", 3))
      .reduction(arg_int(args, "reduction", 4))
      .bias(arg_bool(args, "bias", false));
  auto require = [](bool ok, const std::string& message) {
    if (!ok) throw Error(ErrorKind::BadInput, "MPRNet: " + message);
  };
  require(options.n_feat() >= 1, "n_feat must be at least 1");
  require(options.scale_unetfeats() >= 0, "scale_unetfeats must not be negative");
  require(options.scale_orsnetfeats() >= 0, "scale_orsnetfeats must not be negative");
  require(options.num_cab() >= 0, "num_cab must not be negative");
  require(options.kernel_size() >= 1 && options.kernel_size() % 2 == 1, "kernel_size must be odd and positive");
  require(options.reduction() >= 1 && options.n_feat() / options.reduction() >= 1,
          "reduction must be between 1 and n_feat");
  return std::make_shared<MprnetImpl>(options);
}

}  // namespace restora
