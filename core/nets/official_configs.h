#pragma once
#include "nets/network_spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace restora {

/// One configuration the authors published: which network, built how, for which task.
///
/// Task ids (lower case, used by `--config` and `--task`):
/// - MPRNet: deblur, denoise, derain (one MPRNet.py per task, different defaults).
/// - MIRNet: denoise, enhancement_lol, enhancement_fivek, sr_x2, sr_x3, sr_x4 (all one network;
///   the SR inputs are pre-upsampled, so `scale` only says which weights).
/// - MIRNet_v2: real_denoising, defocus_deblurring, enhancement_lol, enhancement_fivek, sr_x2,
///   sr_x3, sr_x4 (one yml each; only defocus differs in shapes).
/// - HINet: one id per yml: gopro, reds, demo (HIN at levels 3..4); rain13k_rain100h,
///   rain13k_rain100l, rain13k_test100, rain13k_test1200, rain13k_test2800, sidd_1x (HIN 0..4);
///   sidd_0_5x (wf 32); train_gopro, train_reds, train_rain13k, train_sidd_1x, train_sidd_0_5x
///   (the training ymls, whose results are the released weights named in weights_file).
struct OfficialConfig {
  std::string network;       ///< NetworkSpec class name: "MPRNet", "MIRNet", "MIRNet_v2", "HINet"
  std::string task;          ///< short id, unique within the network
  ArgMap args;               ///< every constructor argument, defaults included, as the manifests
  int64_t scale = 1;         ///< super-resolution factor of the task; 1 otherwise
  std::string weights_file;  ///< the released weights this configuration runs with
  std::string description;   ///< one line
  std::string manifest;      ///< conformance manifest it was taken from ("mprnet_deblur.json")

  NetworkSpec spec() const { return {network, args}; }
};

/// Every official configuration, grouped by network in the order above.
const std::vector<OfficialConfig>& official_configs();

/// "MPRNet", "MIRNet", "MIRNet_v2", "HINet" for any spelling that differs only in case and
/// punctuation ("mprnet", "MIRNet-v2", "mirnetv2", "mirnet_v2", "HINET"); nullopt otherwise.
std::optional<std::string> canonical_network_name(const std::string& name);

/// The configuration `task` of `network` (both case-insensitive, network as accepted by
/// canonical_network_name); nullptr when there is none.
const OfficialConfig* find_official_config(const std::string& network, const std::string& task);

/// Like find_official_config, but throws restora::Error(BadUsage) naming what is wrong and
/// listing what exists.
const OfficialConfig& require_official_config(const std::string& network, const std::string& task);

/// Every configuration of one network (canonical class name).
std::vector<const OfficialConfig*> official_configs_of(const std::string& network);

/// "MPRNet, MIRNet, MIRNet_v2, HINet": for messages.
std::string official_network_list();

/// "deblur, denoise, derain": the task ids of one network, for messages.
std::string official_task_list(const std::string& network);

}  // namespace restora
