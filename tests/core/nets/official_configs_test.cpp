#include "nets/official_configs.h"

#include "common/error.h"
#include "support/conformance.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace restora {
namespace {

TEST(OfficialConfigs, EveryEntryHasExactlyTheConstructorArgsOfItsManifest) {
  for (const OfficialConfig& config : official_configs()) {
    SCOPED_TRACE(config.network + " " + config.task);
    const auto manifest = test::load_json(test::shared_path("conformance/manifests/" + config.manifest));
    ASSERT_TRUE(manifest.is_object());
    EXPECT_EQ(config.network, manifest.at("class").get<std::string>());
    EXPECT_EQ(config.args, test::args_from_json(manifest.at("constructor_args")));
  }
}

TEST(OfficialConfigs, EveryManifestIsInTheCatalogue) {
  std::set<std::string> catalogued;
  for (const OfficialConfig& config : official_configs()) catalogued.insert(config.manifest);
  for (const auto& path : test::manifest_files("")) {
    EXPECT_EQ(catalogued.count(path.filename().string()), 1u) << path;
  }
}

TEST(OfficialConfigs, TaskIdsAreUniqueWithinANetworkAndEntriesAreComplete) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const OfficialConfig& config : official_configs()) {
    EXPECT_TRUE(seen.insert({config.network, config.task}).second) << config.network << " " << config.task;
    EXPECT_FALSE(config.weights_file.empty()) << config.task;
    EXPECT_FALSE(config.description.empty()) << config.task;
    EXPECT_EQ(canonical_network_name(config.network), config.network);
  }
}

TEST(OfficialConfigs, SuperResolutionTasksCarryTheirScaleAndOthersScaleOne) {
  for (const OfficialConfig& config : official_configs()) {
    const bool sr = config.task.rfind("sr_x", 0) == 0;
    const int64_t expected = sr ? std::stoll(config.task.substr(4)) : 1;
    EXPECT_EQ(config.scale, expected) << config.network << " " << config.task;
    if (config.network == "MIRNet_v2") {
      EXPECT_EQ(arg_int(config.args, "scale", -1), expected) << config.task;
    }
  }
}

TEST(OfficialConfigs, NetworkNamesAreAcceptedInAnyCaseAndPunctuation) {
  EXPECT_EQ(canonical_network_name("mprnet"), "MPRNet");
  EXPECT_EQ(canonical_network_name("MIRNet-v2"), "MIRNet_v2");
  EXPECT_EQ(canonical_network_name("mirnetv2"), "MIRNet_v2");
  EXPECT_EQ(canonical_network_name("mirnet"), "MIRNet");
  EXPECT_EQ(canonical_network_name("HINET"), "HINet");
  EXPECT_EQ(canonical_network_name("unet"), std::nullopt);
}

TEST(OfficialConfigs, FindAcceptsAnyCaseAndReturnsNullForUnknownNames) {
  const OfficialConfig* deblur = find_official_config("mprnet", "DEBLUR");
  ASSERT_NE(deblur, nullptr);
  EXPECT_EQ(arg_int(deblur->args, "n_feat", 0), 96);
  const OfficialConfig* sidd = find_official_config("hinet", "sidd_0_5x");
  ASSERT_NE(sidd, nullptr);
  EXPECT_EQ(arg_int(sidd->args, "wf", 0), 32);
  const OfficialConfig* defocus = find_official_config("MIRNet-v2", "defocus_deblurring");
  ASSERT_NE(defocus, nullptr);
  EXPECT_EQ(arg_string(defocus->args, "task"), "defocus_deblurring");
  EXPECT_EQ(find_official_config("mprnet", "sr_x2"), nullptr);
  EXPECT_EQ(find_official_config("unet", "deblur"), nullptr);
}

TEST(OfficialConfigs, RequireNamesTheProblemAndListsWhatExists) {
  try {
    require_official_config("mprnet", "dehaze");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadUsage);
    EXPECT_NE(std::string(error.what()).find("deblur, denoise, derain"), std::string::npos) << error.what();
  }
  try {
    require_official_config("unet", "deblur");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("MPRNet, MIRNet, MIRNet_v2, HINet"), std::string::npos) << error.what();
  }
}

TEST(OfficialConfigs, ListsEveryTaskOfANetwork) {
  EXPECT_EQ(official_task_list("mprnet"), "deblur, denoise, derain");
  EXPECT_EQ(official_configs_of("MIRNet_v2").size(), 7u);
  EXPECT_EQ(official_configs_of("HINet").size(), 15u);
  EXPECT_EQ(official_configs_of("MIRNet").size(), 6u);
}

}  // namespace
}  // namespace restora
