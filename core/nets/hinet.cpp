#include "nets/hinet.h"

#include "common/error.h"
#include "nets/blocks/conv_cost.h"

#include <torch/nn/modules/container/modulelist.h>

namespace restora {
namespace {

int64_t level_channels(int64_t wf, int64_t level) { return (int64_t{1} << level) * wf; }

}  // namespace

HinetImpl::HinetImpl(HinetOptions options_) : options(options_) {
  const int64_t in_chn = options.in_chn(), wf = options.wf(), depth = options.depth();
  // Registration follows the official __init__ (the down-path lists exist before conv_01), so
  // that named_parameters() lists the keys in the official state_dict order.
  auto down_path_1 = register_module("down_path_1", torch::nn::ModuleList());
  auto down_path_2 = register_module("down_path_2", torch::nn::ModuleList());
  conv_01 = register_module("conv_01", same_conv(in_chn, wf, 3));
  conv_02 = register_module("conv_02", same_conv(in_chn, wf, 3));

  int64_t previous = wf;
  for (int64_t i = 0; i < depth; ++i) {
    const bool downsample = i + 1 < depth;
    const auto block_options = UNetConvBlockOptions(previous, level_channels(wf, i))
                                   .downsample(downsample)
                                   .relu_slope(options.relu_slope())
                                   .use_hin(options.hin_position_left() <= i && i <= options.hin_position_right());
    path_1.down.emplace_back(block_options);
    path_2.down.emplace_back(UNetConvBlockOptions(block_options).use_csff(downsample));
    down_path_1->push_back(path_1.down.back());
    down_path_2->push_back(path_2.down.back());
    previous = level_channels(wf, i);
  }

  auto up_path_1 = register_module("up_path_1", torch::nn::ModuleList());
  auto up_path_2 = register_module("up_path_2", torch::nn::ModuleList());
  auto skip_conv_1 = register_module("skip_conv_1", torch::nn::ModuleList());
  auto skip_conv_2 = register_module("skip_conv_2", torch::nn::ModuleList());
  for (int64_t i = depth - 2; i >= 0; --i) {
    const int64_t channels = level_channels(wf, i);
    for (Path* path : {&path_1, &path_2}) {
      path->up.emplace_back(previous, channels, options.relu_slope());
      path->skip.push_back(same_conv(channels, channels, 3));
    }
    up_path_1->push_back(path_1.up.back());
    up_path_2->push_back(path_2.up.back());
    skip_conv_1->push_back(path_1.skip.back());
    skip_conv_2->push_back(path_2.skip.back());
    previous = channels;
  }
  sam12 = register_module("sam12", hinet_sam(wf));
  cat12 = register_module("cat12", same_conv(2 * wf, wf, 1));
  last = register_module("last", same_conv(wf, in_chn, 3));
}

std::vector<torch::Tensor> HinetImpl::forward_stages(const torch::Tensor& input) {
  const auto image = input.contiguous(channels_last_ ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
  const size_t depth = path_1.down.size();
  // Stage 1.
  auto x1 = conv_01->forward(image);
  std::vector<torch::Tensor> encs, decs;
  for (size_t i = 0; i < depth; ++i) {
    auto result = path_1.down[i]->forward(x1);
    if (i + 1 < depth) {
      encs.push_back(result.out);
      x1 = result.down;
    } else {
      x1 = result.out;
    }
  }
  for (size_t i = 0; i < path_1.up.size(); ++i) {
    x1 = path_1.up[i]->forward(x1, path_1.skip[i]->forward(encs[encs.size() - 1 - i]));
    decs.push_back(x1);
  }
  auto [sam_feature, out_1] = sam12->forward(x1, image);

  // Stage 2, fusing stage-1 encoder and decoder features of the same level.
  auto x2 = cat12->forward(torch::cat({conv_02->forward(image), sam_feature}, 1));
  std::vector<torch::Tensor> blocks;
  for (size_t i = 0; i < depth; ++i) {
    if (i + 1 < depth) {
      auto result = path_2.down[i]->forward(x2, encs[i], decs[decs.size() - 1 - i]);
      blocks.push_back(result.out);
      x2 = result.down;
    } else {
      x2 = path_2.down[i]->forward(x2).out;
    }
  }
  for (size_t i = 0; i < path_2.up.size(); ++i) {
    x2 = path_2.up[i]->forward(x2, path_2.skip[i]->forward(blocks[blocks.size() - 1 - i]));
  }
  auto out_2 = last->forward(x2) + image;
  return {out_1.contiguous(), out_2.contiguous()};
}

double HinetImpl::gflop(int64_t height, int64_t width) const {
  const int64_t in_chn = options.in_chn(), wf = options.wf();
  double macs = 2 * conv_macs(in_chn, wf, 3, height, width) + conv_macs(2 * wf, wf, 1, height, width) +
                sam12->macs(height, width) + conv_macs(wf, in_chn, 3, height, width);
  for (const Path* path : {&path_1, &path_2}) {
    for (size_t i = 0; i < path->down.size(); ++i) macs += path->down[i]->macs(height >> i, width >> i);
    for (size_t j = 0; j < path->up.size(); ++j) {
      // Up block j works from level depth-1-j to level depth-2-j.
      const size_t from = path->down.size() - 1 - j;
      const int64_t c = level_channels(wf, static_cast<int64_t>(from) - 1);
      macs += path->up[j]->macs(height >> from, width >> from) + conv_macs(c, c, 3, height >> (from - 1), width >> (from - 1));
    }
  }
  return 2 * macs / 1e9;
}

std::shared_ptr<RestorationNetworkImpl> make_hinet(const ArgMap& args) {
  static const char* const known[] = {"in_chn", "wf", "depth", "relu_slope", "hin_position_left", "hin_position_right"};
  for (const auto& [name, value] : args) {
    if (std::find(std::begin(known), std::end(known), name) == std::end(known)) {
      throw Error(ErrorKind::BadInput, "HINet has no constructor argument '" + name + "'");
    }
  }
  HinetOptions options;
  options.in_chn(arg_int(args, "in_chn", 3))
      .wf(arg_int(args, "wf", 64))
      .depth(arg_int(args, "depth", 5))
      .relu_slope(arg_double(args, "relu_slope", 0.2))
      .hin_position_left(arg_int(args, "hin_position_left", 0))
      .hin_position_right(arg_int(args, "hin_position_right", 4));
  auto require = [](bool ok, const std::string& message) {
    if (!ok) throw Error(ErrorKind::BadInput, "HINet: " + message);
  };
  // The supervised attention module adds its 3-channel image to the input.
  require(options.in_chn() == 3 || options.in_chn() == 1, "in_chn must be 3 or 1");
  require(options.wf() >= 1, "wf must be at least 1");
  require(options.depth() >= 1 && options.depth() <= 12, "depth must be between 1 and 12");
  require(options.wf() % 2 == 0 || options.hin_position_left() > 0 || options.hin_position_right() < 0,
          "half instance normalisation at level 0 needs an even wf");
  return std::make_shared<HinetImpl>(options);
}

}  // namespace restora
