// restora-cli eval's core: reference photos paired with the images, and reference-based models
// evaluated through the engine (with a photo, or in self-similarity mode without).
#include "training/evaluation.h"

#include "common/error.h"
#include "nets/ssen.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include <cmath>

namespace restora {
namespace {

class ReferenceEvaluation : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::make_temp_dir("evaluation");
    cv::RNG rng(7);
    for (const std::string name : {"a", "b"}) {
      cv::Mat photo(40, 48, CV_8UC3);
      rng.fill(photo, cv::RNG::UNIFORM, 0, 256);
      cv::imwrite((dir_ / (name + "_left.png")).string(), photo);
      cv::imwrite((dir_ / (name + "_right.png")).string(), photo);  // a perfect reference
    }
    cv::imwrite((dir_ / "tiny.png").string(), cv::Mat(4, 4, CV_8UC3, cv::Scalar(9, 9, 9)));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static Restorer ssen_x4() {
    torch::manual_seed(3);
    auto network = std::make_shared<SsenImpl>(SsenOptions().scale(4).n_feats(16).n_feat_blocks(1).n_sr_blocks(1));
    torch::NoGradGuard no_grad;
    for (auto& parameter : network->parameters()) parameter.add_(torch::randn_like(parameter) * 0.05);
    network->eval();
    return Restorer(network, ModelTraits{"SSEN", "refsr", 4}, torch::kCPU);
  }

  std::filesystem::path dir_;
};

TEST_F(ReferenceEvaluation, PairsPhotosByWhatTheStarMatchesOrGivesOneToAll) {
  auto images = clean_images((dir_ / "*_left.png").string());
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[0].name, "a");
  attach_reference_photos(images, (dir_ / "*_right.png").string());
  EXPECT_EQ(images[1].reference_photo->filename(), "b_right.png");
  attach_reference_photos(images, (dir_ / "tiny.png").string());
  EXPECT_EQ(images[0].reference_photo->filename(), "tiny.png");
  // Folder images are named by their file names and paired by their stems.
  auto folder = clean_images(dir_.string());
  EXPECT_THROW(attach_reference_photos(folder, (dir_ / "*_right.png").string()), Error);
  try {
    attach_reference_photos(images, (dir_ / "*_nothing.png").string());
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(error.what()).find("a_left.png has no reference photo"), std::string::npos) << error.what();
  }
  EXPECT_THROW(attach_reference_photos(images, (dir_ / "missing.png").string()), Error);
}

TEST_F(ReferenceEvaluation, AReferenceModelRunsWithItsPhotoOrOnItsOwnAndABadPhotoIsNamed) {
  Restorer restorer = ssen_x4();
  auto images = clean_images((dir_ / "*_left.png").string());
  images.resize(1);
  const std::vector<Degradation> x4{parse_degradation("bicubic:4")};
  EvalOptions options;
  options.tile = 0;
  const auto self_mode = evaluate(restorer, images, x4, options);
  ASSERT_EQ(self_mode.size(), 1u);
  EXPECT_TRUE(std::isfinite(self_mode[0].psnr));
  attach_reference_photos(images, (dir_ / "*_right.png").string());
  const auto guided = evaluate(restorer, images, x4, options);
  EXPECT_TRUE(std::isfinite(guided[0].psnr));
  EXPECT_NE(guided[0].psnr, self_mode[0].psnr) << "the reference photo took part";
  attach_reference_photos(images, (dir_ / "tiny.png").string());
  try {
    evaluate(restorer, images, x4, options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadInput);
    EXPECT_EQ(std::string(error.what()).rfind((dir_ / "tiny.png").string() + ": the reference (4x4)", 0), 0u) << error.what();
  }
}

TEST_F(ReferenceEvaluation, MakesSameSceneAndOtherSceneReferencesFromTheSetItself) {
  auto images = clean_images((dir_ / "*_left.png").string());
  attach_synthetic_references(images, SyntheticReferenceKind::OtherScene, 0, dir_);
  EXPECT_EQ(images[0].reference_photo, images[1].reference);
  EXPECT_EQ(images[1].reference_photo, images[0].reference);
  attach_synthetic_references(images, SyntheticReferenceKind::SameScene, 5, dir_);
  const cv::Mat photo = cv::imread(images[0].reference.string());
  const cv::Mat view = cv::imread(images[0].reference_photo->string());
  ASSERT_EQ(view.size(), photo.size());
  EXPECT_GT(cv::norm(view, photo, cv::NORM_L1), 0.0) << "shifted, rescaled, jittered: not the photo itself";
  auto again = clean_images((dir_ / "*_left.png").string());
  const auto other = test::make_temp_dir("evaluation-again");
  attach_synthetic_references(again, SyntheticReferenceKind::SameScene, 5, other);
  EXPECT_EQ(cv::norm(cv::imread(again[0].reference_photo->string()), view, cv::NORM_INF), 0.0) << "seeded";
  std::filesystem::remove_all(other);
  auto single = clean_images((dir_ / "*_left.png").string());
  single.resize(1);
  EXPECT_THROW(attach_synthetic_references(single, SyntheticReferenceKind::OtherScene, 0, dir_), Error);
}

TEST_F(ReferenceEvaluation, SuperResolutionCropsTheCleanImageToAMultipleOfTheFactor) {
  // 40 x 48 is no multiple of 3: the benchmarks' modcrop makes it 39 x 48.
  auto images = clean_images((dir_ / "*_left.png").string());
  images.resize(1);
  const RestoreFunction upscale = [](const torch::Tensor& input, const Image*) {
    return upscale_for_network(input, 3);
  };
  EvalOptions options;
  const auto rows = evaluate(upscale, images, {parse_degradation("bicubic:3")}, options);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(std::isfinite(rows[0].psnr));
}

}  // namespace
}  // namespace restora
