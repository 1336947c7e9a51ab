#include "nets/mprnet_stages.h"

#include "nets/blocks/bilinear.h"
#include "nets/blocks/conv_cost.h"


namespace restora {
namespace {

FastConv2d conv1x1(int64_t in, int64_t out, bool bias) {
  return FastConv2d(torch::nn::Conv2dOptions(in, out, 1).bias(bias));
}

BilinearScale bilinear(double scale) { return BilinearScale(scale); }

torch::nn::Sequential cab_sequence(const MprnetBlockConfig& config, int64_t channels, int64_t count) {
  torch::nn::Sequential sequence;
  for (int64_t i = 0; i < count; ++i) sequence->push_back(config.cab(channels));
  return sequence;
}

double cab_sequence_macs(const torch::nn::Sequential& sequence, int64_t height, int64_t width) {
  double macs = 0;
  for (const auto& module : sequence->children()) {
    macs += std::dynamic_pointer_cast<ChannelAttentionBlockImpl>(module)->macs(height, width);
  }
  return macs;
}

}  // namespace

ChannelAttentionBlock MprnetBlockConfig::cab(int64_t channels) const {
  return ChannelAttentionBlock(channels, kernel_size, reduction, bias, act);
}

// ---- resizing -------------------------------------------------------------------------------

MprnetDownSampleImpl::MprnetDownSampleImpl(int64_t in_channels_, int64_t s_factor_)
    : in_channels(in_channels_), s_factor(s_factor_) {
  reset();
}

void MprnetDownSampleImpl::reset() {
  down = register_module("down", torch::nn::Sequential(bilinear(0.5), conv1x1(in_channels, in_channels + s_factor, false)));
}

double MprnetDownSampleImpl::macs(int64_t height, int64_t width) const {
  return conv_macs(in_channels, in_channels + s_factor, 1, height / 2, width / 2);
}

MprnetUpSampleImpl::MprnetUpSampleImpl(int64_t in_channels_, int64_t s_factor_)
    : in_channels(in_channels_), s_factor(s_factor_) {
  reset();
}

void MprnetUpSampleImpl::reset() {
  up = register_module("up", torch::nn::Sequential(bilinear(2.0), conv1x1(in_channels + s_factor, in_channels, false)));
}

double MprnetUpSampleImpl::macs(int64_t height, int64_t width) const {
  return conv_macs(in_channels + s_factor, in_channels, 1, 2 * height, 2 * width);
}

// ---- encoder --------------------------------------------------------------------------------

MprnetEncoderImpl::MprnetEncoderImpl(MprnetBlockConfig config_, bool csff_) : config(std::move(config_)), csff(csff_) {
  reset();
}

void MprnetEncoderImpl::reset() {
  for (int64_t l = 0; l < 3; ++l) {
    levels[l] = register_module("encoder_level" + std::to_string(l + 1), cab_sequence(config, config.level_channels(l), 2));
  }
  down12 = register_module("down12", MprnetDownSample(config.level_channels(0), config.scale_unetfeats));
  down23 = register_module("down23", MprnetDownSample(config.level_channels(1), config.scale_unetfeats));
  if (!csff) return;
  for (int64_t l = 0; l < 3; ++l) {
    const int64_t c = config.level_channels(l);
    csff_enc[l] = register_module("csff_enc" + std::to_string(l + 1), conv1x1(c, c, config.bias));
  }
  for (int64_t l = 0; l < 3; ++l) {
    const int64_t c = config.level_channels(l);
    csff_dec[l] = register_module("csff_dec" + std::to_string(l + 1), conv1x1(c, c, config.bias));
  }
}

MprnetLevels MprnetEncoderImpl::forward(const torch::Tensor& x) {
  MprnetLevels out;
  out[0] = levels[0]->forward(x);
  out[1] = levels[1]->forward(down12->forward(out[0]));
  out[2] = levels[2]->forward(down23->forward(out[1]));
  return out;
}

MprnetLevels MprnetEncoderImpl::forward(const torch::Tensor& x, const MprnetLevels& encoder_outs,
                                        const MprnetLevels& decoder_outs) {
  MprnetLevels out;
  auto fuse = [&](int64_t l, const torch::Tensor& level_out) {
    return level_out + csff_enc[l]->forward(encoder_outs[l]) + csff_dec[l]->forward(decoder_outs[l]);
  };
  out[0] = fuse(0, levels[0]->forward(x));
  out[1] = fuse(1, levels[1]->forward(down12->forward(out[0])));
  out[2] = fuse(2, levels[2]->forward(down23->forward(out[1])));
  return out;
}

double MprnetEncoderImpl::macs(int64_t height, int64_t width) const {
  double macs = down12->macs(height, width) + down23->macs(height / 2, width / 2);
  for (int64_t l = 0; l < 3; ++l) {
    const int64_t h = height >> l, w = width >> l, c = config.level_channels(l);
    macs += cab_sequence_macs(levels[l], h, w);
    if (csff) macs += 2 * conv_macs(c, c, 1, h, w);
  }
  return macs;
}

// ---- decoder --------------------------------------------------------------------------------

MprnetDecoderImpl::MprnetDecoderImpl(MprnetBlockConfig config_) : config(std::move(config_)) { reset(); }

void MprnetDecoderImpl::reset() {
  for (int64_t l = 0; l < 3; ++l) {
    levels[l] = register_module("decoder_level" + std::to_string(l + 1), cab_sequence(config, config.level_channels(l), 2));
  }
  skip_attn1 = register_module("skip_attn1", config.cab(config.level_channels(0)));
  skip_attn2 = register_module("skip_attn2", config.cab(config.level_channels(1)));
  up21 = register_module("up21", MprnetUpSample(config.level_channels(0), config.scale_unetfeats));
  up32 = register_module("up32", MprnetUpSample(config.level_channels(1), config.scale_unetfeats));
}

MprnetLevels MprnetDecoderImpl::forward(const MprnetLevels& encoder_outs) {
  MprnetLevels out;
  out[2] = levels[2]->forward(encoder_outs[2]);
  // SkipUpSample: the skip is added after the 1x1 convolution.
  out[1] = levels[1]->forward(up32->forward(out[2]) + skip_attn2->forward(encoder_outs[1]));
  out[0] = levels[0]->forward(up21->forward(out[1]) + skip_attn1->forward(encoder_outs[0]));
  return out;
}

double MprnetDecoderImpl::macs(int64_t height, int64_t width) const {
  double macs = skip_attn1->macs(height, width) + skip_attn2->macs(height / 2, width / 2) +
                up32->macs(height / 4, width / 4) + up21->macs(height / 2, width / 2);
  for (int64_t l = 0; l < 3; ++l) macs += cab_sequence_macs(levels[l], height >> l, width >> l);
  return macs;
}

// ---- stage 3 --------------------------------------------------------------------------------

MprnetOrbImpl::MprnetOrbImpl(MprnetBlockConfig config_, int64_t channels_)
    : config(std::move(config_)), channels(channels_) {
  reset();
}

void MprnetOrbImpl::reset() {
  auto sequence = cab_sequence(config, channels, config.num_cab);
  // The official ORB calls conv() without `bias`: this conv is bias-free whatever the model's flag.
  sequence->push_back(FastConv2d(
      torch::nn::Conv2dOptions(channels, channels, config.kernel_size).padding(config.kernel_size / 2).bias(false)));
  body = register_module("body", sequence);
}

double MprnetOrbImpl::macs(int64_t height, int64_t width) const {
  double macs = conv_macs(channels, channels, config.kernel_size, height, width);
  for (const auto& module : body->children()) {
    if (auto cab = std::dynamic_pointer_cast<ChannelAttentionBlockImpl>(module)) macs += cab->macs(height, width);
  }
  return macs;
}

MprnetOrsNetImpl::MprnetOrsNetImpl(MprnetBlockConfig config_) : config(std::move(config_)) { reset(); }

void MprnetOrsNetImpl::reset() {
  const int64_t c0 = config.n_feat, c1 = config.level_channels(1), s = config.scale_unetfeats;
  const int64_t ors = config.n_feat + config.scale_orsnetfeats;
  for (int64_t i = 0; i < 3; ++i) orbs[i] = register_module("orb" + std::to_string(i + 1), MprnetOrb(config, ors));
  up_enc1 = register_module("up_enc1", MprnetUpSample(c0, s));
  up_dec1 = register_module("up_dec1", MprnetUpSample(c0, s));
  up_enc2 = register_module("up_enc2", torch::nn::Sequential(MprnetUpSample(c1, s), MprnetUpSample(c0, s)));
  up_dec2 = register_module("up_dec2", torch::nn::Sequential(MprnetUpSample(c1, s), MprnetUpSample(c0, s)));
  for (int64_t i = 0; i < 3; ++i) conv_enc[i] = register_module("conv_enc" + std::to_string(i + 1), conv1x1(c0, ors, config.bias));
  for (int64_t i = 0; i < 3; ++i) conv_dec[i] = register_module("conv_dec" + std::to_string(i + 1), conv1x1(c0, ors, config.bias));
}

torch::Tensor MprnetOrsNetImpl::forward(torch::Tensor x, const MprnetLevels& encoder_outs,
                                        const MprnetLevels& decoder_outs) {
  x = orbs[0]->forward(x);
  x = x + conv_enc[0]->forward(encoder_outs[0]) + conv_dec[0]->forward(decoder_outs[0]);
  x = orbs[1]->forward(x);
  x = x + conv_enc[1]->forward(up_enc1->forward(encoder_outs[1])) + conv_dec[1]->forward(up_dec1->forward(decoder_outs[1]));
  x = orbs[2]->forward(x);
  x = x + conv_enc[2]->forward(up_enc2->forward(encoder_outs[2])) + conv_dec[2]->forward(up_dec2->forward(decoder_outs[2]));
  return x;
}

double MprnetOrsNetImpl::macs(int64_t height, int64_t width) const {
  const int64_t c0 = config.n_feat, c1 = config.level_channels(1), c2 = config.level_channels(2);
  const int64_t ors = config.n_feat + config.scale_orsnetfeats;
  double macs = 6 * conv_macs(c0, ors, 1, height, width);
  for (const auto& orb : orbs) macs += orb->macs(height, width);
  // up_enc1/up_dec1 (C1 -> C0 at full size) and up_enc2/up_dec2 (C2 -> C1 at half, C1 -> C0 at full).
  macs += 2 * (conv_macs(c1, c0, 1, height, width) + conv_macs(c2, c1, 1, height / 2, width / 2) +
               conv_macs(c1, c0, 1, height, width));
  return macs;
}

}  // namespace restora
