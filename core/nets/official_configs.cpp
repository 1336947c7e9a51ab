#include "nets/official_configs.h"

#include "common/error.h"

#include <algorithm>
#include <cctype>

// The arguments below are those of ../shared/conformance/manifests/*.json (taken from the
// official MPRNet.py defaults, MIRNet defaults, and the MIRNet-v2 / HINet ymls);
// tests/core/nets/official_configs_test.cpp checks every entry against its manifest.

namespace restora {
namespace {

ArgMap mprnet_args(int64_t n_feat, int64_t scale_unetfeats, int64_t scale_orsnetfeats) {
  return {{"in_c", int64_t{3}},          {"out_c", int64_t{3}},
          {"n_feat", n_feat},             {"scale_unetfeats", scale_unetfeats},
          {"scale_orsnetfeats", scale_orsnetfeats}, {"num_cab", int64_t{8}},
          {"kernel_size", int64_t{3}},    {"reduction", int64_t{4}},
          {"bias", false}};
}

ArgMap mirnet_args() {
  return {{"in_channels", int64_t{3}}, {"out_channels", int64_t{3}}, {"n_feat", int64_t{64}},
          {"kernel_size", int64_t{3}}, {"stride", int64_t{2}},       {"n_RRG", int64_t{3}},
          {"n_MSRB", int64_t{2}},      {"height", int64_t{3}},       {"width", int64_t{2}},
          {"bias", false}};
}

ArgMap mirnet_v2_args(int64_t inp_channels, int64_t scale, ArgValue task) {
  return {{"inp_channels", inp_channels}, {"out_channels", int64_t{3}}, {"n_feat", int64_t{80}},
          {"chan_factor", 1.5},           {"n_RRG", int64_t{4}},        {"n_MRB", int64_t{2}},
          {"height", int64_t{3}},         {"width", int64_t{2}},        {"scale", scale},
          {"bias", false},                {"task", std::move(task)}};
}

ArgMap hinet_args(int64_t wf, int64_t hin_left) {
  return {{"in_chn", int64_t{3}}, {"wf", wf}, {"depth", int64_t{5}}, {"relu_slope", 0.2},
          {"hin_position_left", hin_left}, {"hin_position_right", int64_t{4}}};
}

OfficialConfig make(std::string network, std::string task, ArgMap args, int64_t scale,
                    std::string weights, std::string description, std::string manifest) {
  return {std::move(network), std::move(task),        std::move(args),    scale,
          std::move(weights), std::move(description), std::move(manifest)};
}

std::vector<OfficialConfig> build_catalogue() {
  std::vector<OfficialConfig> all;
  const auto add = [&all](OfficialConfig config) { all.push_back(std::move(config)); };

  add(make("MPRNet", "deblur", mprnet_args(96, 48, 32), 1, "model_deblurring.pth",
           "MPRNet deblurring (GoPro, HIDE, RealBlur), Deblurring/MPRNet.py", "mprnet_deblur.json"));
  add(make("MPRNet", "denoise", mprnet_args(80, 48, 32), 1, "model_denoising.pth",
           "MPRNet real-noise denoising (SIDD, DND), Denoising/MPRNet.py", "mprnet_denoise.json"));
  add(make("MPRNet", "derain", mprnet_args(40, 20, 16), 1, "model_deraining.pth",
           "MPRNet deraining (Rain100L/H, Test100/1200/2800), Deraining/MPRNet.py", "mprnet_derain.json"));

  add(make("MIRNet", "denoise", mirnet_args(), 1, "model_denoising.pth",
           "MIRNet real-noise denoising (SIDD, DND)", "mirnet_default.json"));
  add(make("MIRNet", "enhancement_lol", mirnet_args(), 1, "model_lol.pth",
           "MIRNet low-light enhancement (LOL)", "mirnet_default.json"));
  add(make("MIRNet", "enhancement_fivek", mirnet_args(), 1, "model_fivek.pth",
           "MIRNet enhancement (MIT-Adobe FiveK)", "mirnet_default.json"));
  for (const int64_t scale : {2, 3, 4}) {
    const std::string x = std::to_string(scale);
    add(make("MIRNet", "sr_x" + x, mirnet_args(), scale, "model_SR_x" + x + ".pth",
             "MIRNet x" + x + " super-resolution (RealSR; input pre-upsampled to output size)",
             "mirnet_default.json"));
  }

  add(make("MIRNet_v2", "real_denoising", mirnet_v2_args(3, 1, std::monostate{}), 1,
           "real_denoising.pth", "MIRNet-v2 real-noise denoising (SIDD, DND)",
           "mirnetv2_real_denoising.json"));
  add(make("MIRNet_v2", "defocus_deblurring", mirnet_v2_args(6, 1, std::string("defocus_deblurring")),
           1, "dual_pixel_defocus_deblurring.pth",
           "MIRNet-v2 dual-pixel defocus deblurring (DPDD; 6-channel left|right input, 16-bit)",
           "mirnetv2_defocus_deblurring.json"));
  add(make("MIRNet_v2", "enhancement_lol", mirnet_v2_args(3, 1, std::monostate{}), 1,
           "enhancement_lol.pth", "MIRNet-v2 low-light enhancement (LOL)",
           "mirnetv2_enhancement_lol.json"));
  add(make("MIRNet_v2", "enhancement_fivek", mirnet_v2_args(3, 1, std::monostate{}), 1,
           "enhancement_fivek.pth", "MIRNet-v2 enhancement (MIT-Adobe FiveK)",
           "mirnetv2_enhancement_fivek.json"));
  for (const int64_t scale : {2, 3, 4}) {
    const std::string x = std::to_string(scale);
    add(make("MIRNet_v2", "sr_x" + x, mirnet_v2_args(3, scale, std::monostate{}), scale,
             "sr_x" + x + ".pth",
             "MIRNet-v2 x" + x + " super-resolution (RealSR; input pre-upsampled to output size)",
             "mirnetv2_sr_x" + x + ".json"));
  }

  struct HinetYml {
    const char* task;
    int64_t wf;
    int64_t hin_left;
    const char* weights;
    const char* description;
    const char* manifest;
  };
  static const HinetYml hinet[] = {
      {"gopro", 64, 3, "HINet-GoPro.pth", "HINet deblurring, test/GoPro/HINet-GoPro.yml",
       "hinet_test_GoPro_HINet-GoPro.json"},
      {"reds", 64, 3, "HINet-REDS.pth", "HINet deblurring of compressed video frames, test/REDS/HINet-REDS.yml",
       "hinet_test_REDS_HINet-REDS.json"},
      {"demo", 64, 3, "HINet-GoPro.pth", "HINet demo (GoPro deblurring weights), demo/demo.yml",
       "hinet_demo_demo.json"},
      {"rain13k_rain100h", 64, 0, "HINet-Rain13k.pth", "HINet deraining, test/Rain13k/HINet-Rain100H.yml",
       "hinet_test_Rain13k_HINet-Rain100H.json"},
      {"rain13k_rain100l", 64, 0, "HINet-Rain13k.pth", "HINet deraining, test/Rain13k/HINet-Rain100L.yml",
       "hinet_test_Rain13k_HINet-Rain100L.json"},
      {"rain13k_test100", 64, 0, "HINet-Rain13k.pth", "HINet deraining, test/Rain13k/HINet-Test100.yml",
       "hinet_test_Rain13k_HINet-Test100.json"},
      {"rain13k_test1200", 64, 0, "HINet-Rain13k.pth", "HINet deraining, test/Rain13k/HINet-Test1200.yml",
       "hinet_test_Rain13k_HINet-Test1200.json"},
      {"rain13k_test2800", 64, 0, "HINet-Rain13k.pth", "HINet deraining, test/Rain13k/HINet-Test2800.yml",
       "hinet_test_Rain13k_HINet-Test2800.json"},
      {"sidd_1x", 64, 0, "HINet-SIDD-1x.pth", "HINet real-noise denoising, test/SIDD/HINet-SIDD-1x.yml",
       "hinet_test_SIDD_HINet-SIDD-1x.json"},
      {"sidd_0_5x", 32, 0, "HINet-SIDD-0.5x.pth",
       "HINet real-noise denoising at half width (wf 32), test/SIDD/HINet-SIDD-0.5x.yml",
       "hinet_test_SIDD_HINet-SIDD-0.5x.json"},
      {"train_gopro", 64, 3, "HINet-GoPro.pth", "HINet training configuration, train/GoPro/HINet.yml",
       "hinet_train_GoPro_HINet.json"},
      {"train_reds", 64, 3, "HINet-REDS.pth", "HINet training configuration, train/REDS/HINet.yml",
       "hinet_train_REDS_HINet.json"},
      {"train_rain13k", 64, 0, "HINet-Rain13k.pth", "HINet training configuration, train/Rain13k/HINet.yml",
       "hinet_train_Rain13k_HINet.json"},
      {"train_sidd_1x", 64, 0, "HINet-SIDD-1x.pth", "HINet training configuration, train/SIDD/HINet.yml",
       "hinet_train_SIDD_HINet.json"},
      {"train_sidd_0_5x", 32, 0, "HINet-SIDD-0.5x.pth",
       "HINet training configuration at half width, train/SIDD/HINet_0.5x.yml",
       "hinet_train_SIDD_HINet_0.5x.json"},
  };
  for (const HinetYml& yml : hinet) {
    add(make("HINet", yml.task, hinet_args(yml.wf, yml.hin_left), 1, yml.weights, yml.description,
             yml.manifest));
  }
  return all;
}

std::string lower_alnum(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

std::string lower(const std::string& text) {
  std::string out = text;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const char* const kNetworks[] = {"MPRNet", "MIRNet", "MIRNet_v2", "HINet"};

}  // namespace

const std::vector<OfficialConfig>& official_configs() {
  static const std::vector<OfficialConfig> catalogue = build_catalogue();
  return catalogue;
}

std::optional<std::string> canonical_network_name(const std::string& name) {
  const std::string key = lower_alnum(name);
  for (const char* network : kNetworks) {
    if (lower_alnum(network) == key) return std::string(network);
  }
  return std::nullopt;
}

const OfficialConfig* find_official_config(const std::string& network, const std::string& task) {
  const auto canonical = canonical_network_name(network);
  if (!canonical) return nullptr;
  const std::string wanted = lower(task);
  for (const OfficialConfig& config : official_configs()) {
    if (config.network == *canonical && config.task == wanted) return &config;
  }
  return nullptr;
}

const OfficialConfig& require_official_config(const std::string& network, const std::string& task) {
  const auto canonical = canonical_network_name(network);
  if (!canonical) {
    throw Error(ErrorKind::BadUsage,
                "unknown network '" + network + "' (known: " + official_network_list() + ")");
  }
  const OfficialConfig* config = find_official_config(*canonical, task);
  if (config == nullptr) {
    throw Error(ErrorKind::BadUsage, "'" + task + "' is not an official " + *canonical +
                                         " configuration (known: " + official_task_list(*canonical) + ")");
  }
  return *config;
}

std::vector<const OfficialConfig*> official_configs_of(const std::string& network) {
  std::vector<const OfficialConfig*> configs;
  for (const OfficialConfig& config : official_configs()) {
    if (config.network == network) configs.push_back(&config);
  }
  return configs;
}

std::string official_network_list() {
  std::string list;
  for (const char* network : kNetworks) list += (list.empty() ? "" : ", ") + std::string(network);
  return list;
}

std::string official_task_list(const std::string& network) {
  std::string list;
  for (const OfficialConfig* config : official_configs_of(canonical_network_name(network).value_or(network))) {
    list += (list.empty() ? "" : ", ") + config->task;
  }
  return list;
}

}  // namespace restora
