#pragma once
// The building blocks of MPRNet's three stages, named and nested exactly as in the official
// Deblurring/MPRNet.py so that registered names equal the official state-dict keys.
#include "nets/blocks/channel_attention.h"
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/cloneable.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <array>
#include <cstdint>

namespace restora {

/// What every MPRNet block is built from (the MPRNet constructor arguments, and the one PReLU).
struct MprnetBlockConfig {
  int64_t n_feat = 96;
  int64_t scale_unetfeats = 48;
  int64_t scale_orsnetfeats = 32;
  int64_t num_cab = 8;
  int64_t kernel_size = 3;
  int64_t reduction = 4;
  bool bias = false;
  torch::nn::PReLU act{nullptr};  ///< shared by every CAB

  ChannelAttentionBlock cab(int64_t channels) const;
  /// Channels of U-Net level l (0, 1, 2): n_feat + l * scale_unetfeats.
  int64_t level_channels(int64_t level) const { return n_feat + level * scale_unetfeats; }
};

/// Features of the three U-Net levels, full, 1/2 and 1/4 resolution.
using MprnetLevels = std::array<torch::Tensor, 3>;

/// Bilinear x0.5 (as nn.Upsample) then 1x1 conv C -> C+s, never biased. Parameter: down.1.weight.
/// [N, C, H, W] -> [N, C+s, H/2, W/2]
class MprnetDownSampleImpl : public torch::nn::Cloneable<MprnetDownSampleImpl> {
 public:
  MprnetDownSampleImpl(int64_t in_channels, int64_t s_factor);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x) { return down->forward(x); }
  double macs(int64_t height, int64_t width) const;  ///< H x W of the input

  int64_t in_channels, s_factor;
  torch::nn::Sequential down{nullptr};
};
TORCH_MODULE(MprnetDownSample);

/// Bilinear x2 (as nn.Upsample) then 1x1 conv C+s -> C, never biased. Parameter: up.1.weight.
/// Serves as UpSample and, with the skip added by the caller after it, SkipUpSample.
/// [N, C+s, H, W] -> [N, C, 2H, 2W]
class MprnetUpSampleImpl : public torch::nn::Cloneable<MprnetUpSampleImpl> {
 public:
  MprnetUpSampleImpl(int64_t in_channels, int64_t s_factor);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x) { return up->forward(x); }
  double macs(int64_t height, int64_t width) const;  ///< H x W of the input

  int64_t in_channels, s_factor;
  torch::nn::Sequential up{nullptr};
};
TORCH_MODULE(MprnetUpSample);

/// Three-level CAB encoder; with csff, stage-1 encoder and decoder features of the same patch are
/// fused in after each level by 1x1 convolutions (csff_enc{1,2,3}, csff_dec{1,2,3}).
/// [N, n_feat, H, W] -> levels [N, C_l, H/2^l, W/2^l]
class MprnetEncoderImpl : public torch::nn::Cloneable<MprnetEncoderImpl> {
 public:
  MprnetEncoderImpl(MprnetBlockConfig config, bool csff);
  void reset() override;
  MprnetLevels forward(const torch::Tensor& x);
  MprnetLevels forward(const torch::Tensor& x, const MprnetLevels& encoder_outs, const MprnetLevels& decoder_outs);
  double macs(int64_t height, int64_t width) const;

  MprnetBlockConfig config;
  bool csff;
  std::array<torch::nn::Sequential, 3> levels{torch::nn::Sequential{nullptr}, torch::nn::Sequential{nullptr},
                                              torch::nn::Sequential{nullptr}};
  MprnetDownSample down12{nullptr}, down23{nullptr};
  std::array<FastConv2d, 3> csff_enc{FastConv2d{nullptr}, FastConv2d{nullptr},
                                            FastConv2d{nullptr}};
  std::array<FastConv2d, 3> csff_dec{FastConv2d{nullptr}, FastConv2d{nullptr},
                                            FastConv2d{nullptr}};
};
TORCH_MODULE(MprnetEncoder);

/// Three-level CAB decoder with CAB-attended skips (skip_attn1/2) and SkipUpSample (up21, up32).
/// encoder levels -> decoder levels, same shapes.
class MprnetDecoderImpl : public torch::nn::Cloneable<MprnetDecoderImpl> {
 public:
  explicit MprnetDecoderImpl(MprnetBlockConfig config);
  void reset() override;
  MprnetLevels forward(const MprnetLevels& encoder_outs);
  double macs(int64_t height, int64_t width) const;

  MprnetBlockConfig config;
  std::array<torch::nn::Sequential, 3> levels{torch::nn::Sequential{nullptr}, torch::nn::Sequential{nullptr},
                                              torch::nn::Sequential{nullptr}};
  ChannelAttentionBlock skip_attn1{nullptr}, skip_attn2{nullptr};
  MprnetUpSample up21{nullptr}, up32{nullptr};
};
TORCH_MODULE(MprnetDecoder);

/// Original-resolution block: num_cab CABs then a 3x3 conv that is never biased, plus the input.
/// Parameters: body.0 .. body.{num_cab-1} (CABs), body.{num_cab}.weight.
/// [N, C, H, W] -> [N, C, H, W]
class MprnetOrbImpl : public torch::nn::Cloneable<MprnetOrbImpl> {
 public:
  MprnetOrbImpl(MprnetBlockConfig config, int64_t channels);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x) { return body->forward(x) + x; }
  double macs(int64_t height, int64_t width) const;

  MprnetBlockConfig config;
  int64_t channels;
  torch::nn::Sequential body{nullptr};
};
TORCH_MODULE(MprnetOrb);

/// Original-resolution subnetwork of stage 3: three ORBs, each followed by 1x1 fusions of the stage-2 encoder/decoder level upsampled
/// to full resolution.
/// [N, n_feat+s_ors, H, W], stage-2 levels -> [N, n_feat+s_ors, H, W]
class MprnetOrsNetImpl : public torch::nn::Cloneable<MprnetOrsNetImpl> {
 public:
  explicit MprnetOrsNetImpl(MprnetBlockConfig config);
  void reset() override;
  torch::Tensor forward(torch::Tensor x, const MprnetLevels& encoder_outs, const MprnetLevels& decoder_outs);
  double macs(int64_t height, int64_t width) const;

  MprnetBlockConfig config;
  std::array<MprnetOrb, 3> orbs{MprnetOrb{nullptr}, MprnetOrb{nullptr}, MprnetOrb{nullptr}};
  MprnetUpSample up_enc1{nullptr}, up_dec1{nullptr};
  torch::nn::Sequential up_enc2{nullptr}, up_dec2{nullptr};
  std::array<FastConv2d, 3> conv_enc{FastConv2d{nullptr}, FastConv2d{nullptr},
                                            FastConv2d{nullptr}};
  std::array<FastConv2d, 3> conv_dec{FastConv2d{nullptr}, FastConv2d{nullptr},
                                            FastConv2d{nullptr}};
};
TORCH_MODULE(MprnetOrsNet);

}  // namespace restora
