#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "models/model_registry.h"
#include "models/sha256.h"
#include "nets/network_factory.h"
#include "support/shared_data.h"
#include "training/run_state.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>

namespace restora {
namespace {

TEST(Sha256, MatchesTheFipsTestVectors) {
  EXPECT_EQ(sha256_hex("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  EXPECT_EQ(sha256_hex(two_blocks.data(), two_blocks.size()),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/// A manifest folder with one tiny HINet model written by our checkpoint writer.
class ModelFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::make_temp_dir("models");
    spec_ = {"HINet", {{"wf", int64_t{4}}, {"depth", int64_t{2}}}};
    torch::manual_seed(0);
    write_checkpoint(dir_ / "tiny.pth", module_state(*make_network(spec_)));
    write_manifest(dir_, "tiny-denoise", sha256_file(dir_ / "tiny.pth"),
                   static_cast<int64_t>(std::filesystem::file_size(dir_ / "tiny.pth")));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static void write_manifest(const std::filesystem::path& folder, const std::string& id, const std::string& sha,
                             int64_t size) {
    std::filesystem::create_directories(folder);
    const nlohmann::json manifest = {
        {"models",
         {{{"id", id}, {"network", "HINet"}, {"args", {{"wf", 4}, {"depth", 2}}}, {"task", "denoise"},
           {"scale", 1}, {"file", "tiny.pth"}, {"sha256", sha}, {"size", size},
           {"training", {{"iterations", 12}, {"status", "still training"}, {"validation_psnr", {{"x", 20.5}}}}}}}}};
    std::ofstream(folder / "models.json") << manifest.dump(2);
  }

  std::filesystem::path dir_;
  NetworkSpec spec_;
};

TEST_F(ModelFolder, LoadsAModelByIdWithItsChecksumVerified) {
  const ModelRegistry registry({{dir_, "bundled"}});
  ASSERT_EQ(registry.models().size(), 1u);
  const auto& entry = registry.get("tiny-denoise");
  EXPECT_EQ(entry.training.iterations, 12);
  EXPECT_EQ(entry.training.status, "still training");
  EXPECT_DOUBLE_EQ(entry.training.validation_psnr.at("x"), 20.5);
  EXPECT_EQ(verify_checksum(entry), ChecksumStatus::Ok);
  const auto model = load_registered_model(entry);
  EXPECT_EQ(model.traits.network, "HINet");
  EXPECT_EQ(model.traits.task, "denoise");
  EXPECT_EQ(model.network->forward(torch::rand({1, 3, 8, 8})).sizes(), (std::vector<int64_t>{1, 3, 8, 8}));
}

TEST_F(ModelFolder, RefusesAChangedFileWithAClearMessage) {
  {
    std::fstream file(dir_ / "tiny.pth", std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.put('\x42');
  }
  const ModelRegistry registry({{dir_, "bundled"}});
  EXPECT_EQ(verify_checksum(registry.get("tiny-denoise")), ChecksumStatus::Changed);
  try {
    load_registered_model(registry.get("tiny-denoise"));
    FAIL() << "a changed file must be refused";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(error.what()).find("refusing"), std::string::npos) << error.what();
  }
  std::filesystem::remove(dir_ / "tiny.pth");
  EXPECT_EQ(verify_checksum(registry.get("tiny-denoise")), ChecksumStatus::Missing);
}

TEST_F(ModelFolder, KeepsTheFirstOfTwoEntriesWithOneIdAndNamesUnknownIds) {
  const auto user = dir_ / "user";
  std::filesystem::copy_file(dir_ / "tiny.pth", user.string() + ".pth");
  write_manifest(user, "tiny-denoise", std::string(64, '0'), 1);
  const ModelRegistry registry({{dir_, "bundled"}, {user, "user"}});
  ASSERT_EQ(registry.models().size(), 1u);
  EXPECT_EQ(registry.models()[0].origin, "bundled");
  EXPECT_EQ(registry.warnings().size(), 1u);
  try {
    registry.get("nope");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadUsage);
    EXPECT_NE(std::string(error.what()).find("tiny-denoise"), std::string::npos) << error.what();
  }
}

TEST_F(ModelFolder, RejectsAManifestWithMissingFields) {
  std::ofstream(dir_ / "models.json") << R"({"models": [{"id": "x", "network": "HINet"}]})";
  EXPECT_THROW(ModelRegistry({{dir_, "bundled"}}), Error);
  std::ofstream(dir_ / "models.json") << "{not json";
  EXPECT_THROW(ModelRegistry({{dir_, "bundled"}}), Error);
}

TEST_F(ModelFolder, ReadsTheCalibratedTileAndRefusesOneWithoutRoomBesideItsOverlap) {
  auto manifest = nlohmann::json::parse(std::ifstream(dir_ / "models.json"));
  manifest["models"][0]["inference"] = {{"tile", 64}, {"overlap", 16}};
  std::ofstream(dir_ / "models.json") << manifest.dump(2);
  const auto model = load_registered_model(ModelRegistry({{dir_, "bundled"}}).get("tiny-denoise"));
  EXPECT_EQ(model.traits.tile, 64);
  EXPECT_EQ(model.traits.overlap, 16);
  manifest["models"][0]["inference"] = {{"tile", 64}, {"overlap", 32}};
  std::ofstream(dir_ / "models.json") << manifest.dump(2);
  try {
    ModelRegistry({{dir_, "bundled"}});
    FAIL() << "an overlap of half the tile leaves no pixel of its own";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("tiny-denoise"), std::string::npos) << error.what();
  }
}

TEST(UserModelsDir, FollowsXdgDataHome) {
  const auto dir = test::make_temp_dir("xdg");
  setenv("XDG_DATA_HOME", dir.c_str(), 1);
  EXPECT_EQ(user_models_dir(), dir / "restora" / "models");
  unsetenv("XDG_DATA_HOME");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace restora
