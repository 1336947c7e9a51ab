#include "nets/mirnet_v2_mrb.h"

#include "nets/blocks/mirnet_common.h"

#include <cmath>

namespace restora::mirnet_v2 {

int64_t level_channels(int64_t n_feat, double chan_factor, int64_t level) {
  return static_cast<int64_t>(static_cast<double>(n_feat) * std::pow(chan_factor, static_cast<double>(level)));
}

MrbImpl::MrbImpl(int64_t n_feat, double chan_factor, bool bias, int64_t groups) : n_feat_(n_feat) {
  const int64_t c0 = level_channels(n_feat, chan_factor, 0);
  const int64_t c1 = level_channels(n_feat, chan_factor, 1);
  const int64_t c2 = level_channels(n_feat, chan_factor, 2);
  top_ = register_module("dau_top", Rcb(c0, bias, groups));
  mid_ = register_module("dau_mid", Rcb(c1, bias, groups));
  bot_ = register_module("dau_bot", Rcb(c2, bias, groups));
  down2_ = register_module("down2", DownSample(c0, 2, chan_factor));
  auto down4 = mirnet::add_path(*this, "down4");
  down4_first_ = down4->register_module("0", DownSample(c0, 2, chan_factor));
  down4_second_ = down4->register_module("1", DownSample(c1, 2, chan_factor));
  up21_1_ = register_module("up21_1", UpSample(c1, 2, chan_factor));
  up21_2_ = register_module("up21_2", UpSample(c1, 2, chan_factor));
  up32_1_ = register_module("up32_1", UpSample(c2, 2, chan_factor));
  up32_2_ = register_module("up32_2", UpSample(c2, 2, chan_factor));
  conv_out_ = register_module("conv_out", same_conv(n_feat, n_feat, 1, bias));
  skff_top_ = register_module("skff_top", mirnet::Skff(mirnet::SkffOptions::for_mirnet_v2(c0)));
  skff_mid_ = register_module("skff_mid", mirnet::Skff(mirnet::SkffOptions::for_mirnet_v2(c1)));
}

torch::Tensor MrbImpl::forward(const torch::Tensor& x) {
  // down2 and down4 both start by pooling x: pool once.
  const torch::Tensor pooled = average_pool_2x2(x);
  torch::Tensor mid = down2_->forward_pooled(pooled);
  torch::Tensor bot = down4_second_(down4_first_->forward_pooled(pooled));
  torch::Tensor top = x;

  top = top_(top);
  mid = mid_(mid);
  bot = bot_(bot);
  mid = skff_mid_->forward({mid, up32_1_(bot)});
  top = skff_top_->forward({top, up21_1_(mid)});

  top = top_(top);
  mid = mid_(mid);
  bot = bot_(bot);
  mid = skff_mid_->forward({mid, up32_2_(bot)});
  top = skff_top_->forward({top, up21_2_(mid)});

  return conv_out_(top).add_(x);
}

double MrbImpl::macs(int64_t h, int64_t w) const {
  const int64_t h1 = (h + 1) / 2, w1 = (w + 1) / 2;
  const int64_t h2 = (h1 + 1) / 2, w2 = (w1 + 1) / 2;
  const double per_pass = top_->macs(h, w) + mid_->macs(h1, w1) + bot_->macs(h2, w2) + skff_mid_->macs() +
                          skff_top_->macs();
  return 2 * per_pass + down2_->macs(h, w) + down4_first_->macs(h, w) + down4_second_->macs(h1, w1) +
         up32_1_->macs(h2, w2) + up32_2_->macs(h2, w2) + up21_1_->macs(h1, w1) + up21_2_->macs(h1, w1) +
         conv_macs(n_feat_, n_feat_, 1, h, w);
}

}  // namespace restora::mirnet_v2
