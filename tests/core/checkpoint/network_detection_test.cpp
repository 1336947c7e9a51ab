#include "checkpoint/network_detection.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/network_detection_layouts.h"
#include "common/error.h"
#include "nets/official_configs.h"
#include "support/conformance.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace restora {
namespace {

/// `state_dict` of a manifest or meta.json: a list of [key, shape, dtype].
std::vector<TensorInfo> infos_from_json(const nlohmann::json& state_dict) {
  std::vector<TensorInfo> infos;
  for (const auto& entry : state_dict) {
    infos.push_back({entry.at(0).get<std::string>(), entry.at(1).get<std::vector<int64_t>>()});
  }
  return infos;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

std::vector<const OfficialConfig*> configs_of_manifest(const std::string& file) {
  std::vector<const OfficialConfig*> configs;
  for (const OfficialConfig& config : official_configs()) {
    if (config.manifest == file) configs.push_back(&config);
  }
  return configs;
}

std::vector<TensorInfo> manifest_infos(const std::string& file) {
  return infos_from_json(test::load_json(test::shared_path("conformance/manifests/" + file)).at("state_dict"));
}

Detection expect_not_recognised(const std::vector<TensorInfo>& infos) {
  const Detection d = detect_network(infos);
  EXPECT_FALSE(d.recognised);
  EXPECT_EQ(d.reason, "not a checkpoint of a supported network");
  return d;
}

TEST(NetworkDetection, ExpectedStateDictListsEveryManifestKeyInOrderWithItsShape) {
  for (const auto& path : test::manifest_files("")) {
    SCOPED_TRACE(path.filename().string());
    const auto manifest = test::load_json(path);
    const NetworkSpec spec{manifest.at("class").get<std::string>(), test::args_from_json(manifest.at("constructor_args"))};
    const auto expected = expected_state_dict(spec);
    const auto actual = infos_from_json(manifest.at("state_dict"));
    ASSERT_EQ(expected.size(), actual.size());
    for (size_t i = 0; i < actual.size(); ++i) {
      EXPECT_EQ(expected[i].name, actual[i].name) << i;
      EXPECT_EQ(expected[i].shape, actual[i].shape) << actual[i].name;
    }
    EXPECT_EQ(count_elements(actual), manifest.at("num_elements_in_state_dict").get<int64_t>());
  }
}

TEST(NetworkDetection, EveryManifestIsDetectedWithItsNetworkArgsAndTask) {
  for (const auto& path : test::manifest_files("")) {
    const std::string file = path.filename().string();
    SCOPED_TRACE(file);
    const auto manifest = test::load_json(path);
    const Detection d = detect_network(infos_from_json(manifest.at("state_dict")));
    ASSERT_TRUE(d.recognised) << describe_mismatch(d);
    EXPECT_EQ(d.spec.network, manifest.at("class").get<std::string>());
    const ArgMap official = test::args_from_json(manifest.at("constructor_args"));
    EXPECT_EQ(d.spec.args.size(), official.size());
    for (const auto& [name, value] : official) {
      if (contains(d.undetermined_args, name)) continue;
      EXPECT_EQ(d.spec.args.at(name), value) << name;
    }
    const auto own = configs_of_manifest(file);
    ASSERT_FALSE(own.empty());
    for (const OfficialConfig* config : own) EXPECT_TRUE(contains(d.candidate_tasks, config->task)) << config->task;
    // What the shapes cannot tell is the value every candidate shares, else the default.
    for (const std::string& name : d.undetermined_args) {
      std::set<std::string> values;
      for (const std::string& task : d.candidate_tasks) {
        values.insert(to_python_literal(find_official_config(d.spec.network, task)->args.at(name)));
      }
      if (values.size() == 1) {
        EXPECT_EQ(to_python_literal(d.spec.args.at(name)), *values.begin()) << name;
      }
    }
  }
}

TEST(NetworkDetection, TheTaskHintGivesExactlyTheManifestArgs) {
  for (const auto& path : test::manifest_files("")) {
    const std::string file = path.filename().string();
    const auto manifest = test::load_json(path);
    for (const OfficialConfig* config : configs_of_manifest(file)) {
      SCOPED_TRACE(file + " " + config->task);
      DetectionHints hints;
      hints.task = config->task;
      const Detection d = detect_network(infos_from_json(manifest.at("state_dict")), hints);
      EXPECT_EQ(d.spec.args, test::args_from_json(manifest.at("constructor_args")));
      EXPECT_EQ(d.candidate_tasks, std::vector<std::string>{config->task});
      EXPECT_EQ(d.scale, config->scale);
    }
  }
}

TEST(NetworkDetection, EveryConformanceCaseIsDetectedWithExactlyItsConstructorArgs) {
  for (const char* arch : {"mprnet", "mirnet", "mirnetv2", "hinet"}) {
    for (const auto& c : test::conformance_cases(arch)) {
      SCOPED_TRACE(c.name);
      const NetworkSpec spec = c.spec();
      DetectionHints hints;  // the one thing shapes cannot tell here: MIRNet-v2's ignored scale
      if (spec.network == "MIRNet_v2") hints.scale = arg_int(spec.args, "scale", 1);
      const Detection d = detect_network(infos_from_json(c.meta.at("state_dict")), hints);
      ASSERT_TRUE(d.recognised) << describe_mismatch(d);
      EXPECT_EQ(d.spec.network, spec.network);
      EXPECT_EQ(d.spec.args, spec.args);
      EXPECT_TRUE(d.candidate_tasks.empty());
    }
  }
}

TEST(NetworkDetection, MirnetV2ConfigurationsThatShareShapesAreAllCandidates) {
  const Detection d = detect_network(manifest_infos("mirnetv2_sr_x3.json"));
  ASSERT_TRUE(d.recognised);
  EXPECT_EQ(d.candidate_tasks, (std::vector<std::string>{"real_denoising", "enhancement_lol", "enhancement_fivek",
                                                          "sr_x2", "sr_x3", "sr_x4"}));
  EXPECT_TRUE(contains(d.undetermined_args, "scale"));
  EXPECT_EQ(arg_int(d.spec.args, "scale", -1), 1);
  EXPECT_EQ(d.scale, 1);

  const Detection defocus = detect_network(manifest_infos("mirnetv2_defocus_deblurring.json"));
  EXPECT_EQ(defocus.candidate_tasks, std::vector<std::string>{"defocus_deblurring"});
  EXPECT_EQ(arg_string(defocus.spec.args, "task"), "defocus_deblurring");
}

TEST(NetworkDetection, HinetFilesFallIntoGroupsOfYmls) {
  const Detection gopro = detect_network(manifest_infos("hinet_test_GoPro_HINet-GoPro.json"));
  EXPECT_EQ(gopro.candidate_tasks, (std::vector<std::string>{"gopro", "reds", "demo", "train_gopro", "train_reds"}));
  const Detection half = detect_network(manifest_infos("hinet_test_SIDD_HINet-SIDD-0.5x.json"));
  EXPECT_EQ(half.candidate_tasks, (std::vector<std::string>{"sidd_0_5x", "train_sidd_0_5x"}));
  EXPECT_TRUE(contains(gopro.undetermined_args, "relu_slope"));
  EXPECT_DOUBLE_EQ(arg_double(gopro.spec.args, "relu_slope", 0.0), 0.2);
}

TEST(NetworkDetection, HintsNarrowTheCandidates) {
  DetectionHints scale3;
  scale3.scale = 3;
  const Detection sr = detect_network(manifest_infos("mirnetv2_sr_x2.json"), scale3);
  EXPECT_EQ(sr.candidate_tasks, std::vector<std::string>{"sr_x3"});
  EXPECT_EQ(arg_int(sr.spec.args, "scale", -1), 3);
  EXPECT_EQ(sr.scale, 3);

  DetectionHints upper;
  upper.task = "SR_X4";
  EXPECT_EQ(detect_network(manifest_infos("mirnet_default.json"), upper).candidate_tasks,
            std::vector<std::string>{"sr_x4"});

  DetectionHints one;
  one.scale = 1;
  EXPECT_EQ(detect_network(manifest_infos("mirnet_default.json"), one).candidate_tasks,
            (std::vector<std::string>{"denoise", "enhancement_lol", "enhancement_fivek"}));
}

void expect_contradiction(const std::string& manifest, const DetectionHints& hints) {
  SCOPED_TRACE(manifest);
  try {
    detect_network(manifest_infos(manifest), hints);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadUsage);
    EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos);
  }
}

TEST(NetworkDetection, HintsThatContradictTheShapesAreErrors) {
  DetectionHints task;
  task.task = "defocus_deblurring";
  expect_contradiction("mirnetv2_sr_x3.json", task);  // 3 input channels, not 6
  task.task = "gopro";
  expect_contradiction("hinet_test_Rain13k_HINet-Rain100H.json", task);  // HIN at 0..4, not 3..4
  expect_contradiction("mprnet_deblur.json", task);                       // no such MPRNet task
  task.task = "derain";
  expect_contradiction("mprnet_deblur.json", task);  // n_feat 96, not 40
  DetectionHints scale;
  scale.scale = 2;
  expect_contradiction("hinet_test_GoPro_HINet-GoPro.json", scale);     // HINet has no SR
  expect_contradiction("mirnetv2_defocus_deblurring.json", scale);      // defocus is not SR
  scale.scale = 0;
  expect_contradiction("mirnetv2_sr_x2.json", scale);
  DetectionHints both;
  both.task = "sr_x2";
  both.scale = 4;
  expect_contradiction("mirnetv2_sr_x2.json", both);
}

TEST(NetworkDetection, ATaskHintOnANonOfficialConfigurationIsAnError) {
  const auto cases = test::conformance_cases("hinet");
  ASSERT_FALSE(cases.empty());
  DetectionHints hints;
  hints.task = "gopro";
  EXPECT_THROW(detect_network(infos_from_json(cases.front().meta.at("state_dict")), hints), Error);
}

TEST(NetworkDetection, ARemovedKeyIsFlaggedWithTheNearestNetwork) {
  for (const char* file : {"mprnet_deblur.json", "mirnet_default.json", "mirnetv2_real_denoising.json",
                           "hinet_test_GoPro_HINet-GoPro.json"}) {
    SCOPED_TRACE(file);
    auto infos = manifest_infos(file);
    const std::string network = detect_network(infos).spec.network;
    infos.erase(infos.begin() + static_cast<std::ptrdiff_t>(infos.size() / 2));
    const Detection d = expect_not_recognised(infos);
    EXPECT_EQ(d.spec.network, network);
    EXPECT_EQ(d.diff.missing, 1);
    EXPECT_EQ(d.diff.total(), 1);
  }
}

TEST(NetworkDetection, RemovingTheKeyThatShowsTheWidthStillFindsTheRightConfiguration) {
  const std::pair<const char*, const char*> anchors[] = {
      {"mprnet", "shallow_feat1.0.weight"}, {"mirnet", "conv_in.weight"},
      {"mirnetv2", "conv_in.weight"},       {"hinet", "conv_01.weight"}};
  for (const auto& [arch, key] : anchors) {
    for (const auto& c : test::conformance_cases(arch)) {
      SCOPED_TRACE(c.name);
      auto infos = infos_from_json(c.meta.at("state_dict"));
      infos.erase(std::remove_if(infos.begin(), infos.end(),
                                 [key = std::string(key)](const TensorInfo& i) {
                                   return i.name == key || i.name == "module." + key;
                                 }),
                  infos.end());
      const Detection d = expect_not_recognised(infos);
      EXPECT_EQ(d.spec.network, c.spec().network);
      EXPECT_EQ(d.diff.total(), 1) << describe_mismatch(d);
    }
  }
}

TEST(NetworkDetection, AChangedShapeIsFlaggedAsOneMismatch) {
  auto infos = manifest_infos("mprnet_derain.json");
  infos[10].shape.back() += 1;
  const Detection d = expect_not_recognised(infos);
  EXPECT_EQ(d.spec.network, "MPRNet");
  EXPECT_EQ(d.diff.mismatched, 1);
  EXPECT_EQ(d.diff.total(), 1);
  EXPECT_NE(describe_mismatch(d).find("nearest: MPRNet, 1 keys differ"), std::string::npos) << describe_mismatch(d);
}

TEST(NetworkDetection, AnExtraKeyIsFlaggedAsUnexpected) {
  auto infos = manifest_infos("hinet_test_SIDD_HINet-SIDD-1x.json");
  infos.push_back({"ema.decay", {}});
  const Detection d = expect_not_recognised(infos);
  EXPECT_EQ(d.spec.network, "HINet");
  EXPECT_EQ(d.diff.unexpected, 1);
  EXPECT_EQ(d.diff.total(), 1);
}

TEST(NetworkDetection, AnUnrelatedDictIsNotRecognised) {
  const Detection d = expect_not_recognised({{"features.0.weight", {64, 3, 3, 3}},
                                             {"features.0.bias", {64}},
                                             {"classifier.weight", {1000, 4096}}});
  EXPECT_EQ(d.diff.unexpected, 3);
  EXPECT_GT(d.diff.missing, 0);
  EXPECT_FALSE(d.spec.network.empty());
  expect_not_recognised({});
}

TEST(NetworkDetection, HintsAreIgnoredForAnUnrecognisedDict) {
  DetectionHints hints;
  hints.task = "gopro";
  hints.scale = 7;
  EXPECT_FALSE(detect_network({{"x", {1}}}, hints).recognised);
}

TEST(NetworkDetection, ModulePrefixedKeysAreDetectedLikeBareOnes) {
  auto infos = manifest_infos("mirnet_default.json");
  for (TensorInfo& info : infos) info.name = "module." + info.name;
  const Detection d = detect_network(infos);
  EXPECT_TRUE(d.recognised);
  EXPECT_EQ(d.spec.network, "MIRNet");
}

TEST(NetworkDetection, WidthsAndDepthsBeyondTheOfficialOnesAreDetected) {
  const NetworkSpec specs[] = {
      {"MPRNet", {{"n_feat", int64_t{24}}, {"scale_unetfeats", int64_t{12}}, {"scale_orsnetfeats", int64_t{6}},
                  {"num_cab", int64_t{3}}, {"kernel_size", int64_t{5}}, {"reduction", int64_t{3}}, {"bias", true}}},
      {"MIRNet", {{"n_feat", int64_t{16}}, {"n_RRG", int64_t{2}}, {"n_MSRB", int64_t{3}}, {"height", int64_t{4}},
                  {"width", int64_t{1}}, {"kernel_size", int64_t{5}}, {"in_channels", int64_t{1}},
                  {"out_channels", int64_t{1}}}},
      {"MIRNet_v2", {{"n_feat", int64_t{64}}, {"chan_factor", 1.25}, {"n_MRB", int64_t{3}}}},
      {"MIRNet_v2", {{"n_feat", int64_t{24}}, {"chan_factor", int64_t{3}}, {"inp_channels", int64_t{4}},
                     {"out_channels", int64_t{4}}}},
      {"HINet", {{"wf", int64_t{16}}, {"depth", int64_t{6}}, {"hin_position_left", int64_t{1}},
                 {"hin_position_right", int64_t{3}}, {"in_chn", int64_t{1}}}},
  };
  for (const NetworkSpec& spec : specs) {
    SCOPED_TRACE(spec.network);
    const Detection d = detect_network(expected_state_dict(spec));
    ASSERT_TRUE(d.recognised) << describe_mismatch(d);
    EXPECT_EQ(d.spec.network, spec.network);
    for (const auto& [name, value] : spec.args) EXPECT_EQ(d.spec.args.at(name), value) << name;
    EXPECT_TRUE(d.candidate_tasks.empty());
  }
}

TEST(NetworkDetection, PythonFloorDivisionMatchesCPython) {
  // Values printed by python3: 88 // 1.1, 120 // 1.5, 100 // 1.3, 33 // 1.7, -7 // 2.0.
  EXPECT_EQ(python_floordiv(88, 1.1), 79.0);
  EXPECT_EQ(python_floordiv(120, 1.5), 80.0);
  EXPECT_EQ(python_floordiv(100, 1.3), 76.0);
  EXPECT_EQ(python_floordiv(33, 1.7), 19.0);
  EXPECT_EQ(python_floordiv(-7, 2.0), -4.0);
}

TEST(ParameterCounts, AliasedEntriesCountOnceAndViewsOfOtherPartsCountSeparately) {
  StateDict dict;
  const torch::Tensor shared = torch::zeros({1});
  const torch::Tensor storage = torch::zeros({10});
  dict.insert("a.weight", shared);
  dict.insert("b.weight", shared);                       // the same tensor under a second name
  dict.insert("c.weight", storage.narrow(0, 0, 4));      // two views of different parts
  dict.insert("d.weight", storage.narrow(0, 4, 6));
  dict.insert("e.weight", storage.narrow(0, 4, 6).view({2, 3}));  // same part, another shape
  EXPECT_EQ(count_elements(dict), 1 + 1 + 4 + 6 + 6);
  EXPECT_EQ(count_unique_parameters(dict), 1 + 4 + 6);
}

TEST(ParameterCounts, ConformanceCheckpointsCountSharedKeysOnce) {
  for (const char* arch : {"mprnet", "mirnet", "mirnetv2", "hinet"}) {
    for (const auto& c : test::conformance_cases(arch)) {
      SCOPED_TRACE(c.name);
      const auto infos = infos_from_json(c.meta.at("state_dict"));
      std::map<std::string, std::vector<int64_t>> shapes;
      for (const TensorInfo& info : infos) shapes[info.name] = info.shape;
      int64_t expected = count_elements(infos);
      const auto& groups = c.meta.at("checkpoint").value("shared_key_groups", nlohmann::json::array());
      for (const auto& group : groups) {
        const std::vector<TensorInfo> one{{"", shapes.at(group.at(0).get<std::string>())}};
        expected -= static_cast<int64_t>(group.size() - 1) * count_elements(one);
      }
      for (const auto& file : c.weight_files()) {
        const Checkpoint checkpoint = read_checkpoint(file);
        EXPECT_EQ(count_elements(checkpoint.state_dict), count_elements(infos)) << file;
        EXPECT_EQ(count_unique_parameters(checkpoint.state_dict), expected) << file;
        const Detection d = detect_network(tensor_infos(checkpoint.state_dict));
        EXPECT_TRUE(d.recognised) << file;
        EXPECT_EQ(d.spec.network, c.spec().network) << file;
      }
    }
  }
}

}  // namespace
}  // namespace restora
