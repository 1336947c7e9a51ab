#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "support/shared_data.h"
#include "training/batch_source.h"
#include "training/train_config.h"
#include "training/trainer.h"
#include "training/validation.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include <fstream>

namespace restora {
namespace {

/// A folder of small textured photos, a validation folder and a tiny HINet config.
class TinyTrainingRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::make_temp_dir("training");
    std::filesystem::create_directories(dir_ / "photos" / "nested");
    std::filesystem::create_directories(dir_ / "val");
    cv::RNG rng(5);
    for (int i = 0; i < 4; ++i) {
      cv::Mat photo(40 + 4 * i, 48, CV_8UC3);
      rng.fill(photo, cv::RNG::UNIFORM, 0, 256);
      cv::imwrite((dir_ / "photos" / (i % 2 ? "nested" : "") / ("p" + std::to_string(i) + ".png")).string(), photo);
    }
    cv::Mat val(20, 28, CV_8UC3);
    rng.fill(val, cv::RNG::UNIFORM, 0, 256);
    cv::imwrite((dir_ / "val" / "v.png").string(), val);
    config_ = {
        {"name", "tiny"},
        {"task", "denoise"},
        {"network", {{"type", "HINet"}, {"args", {{"wf", 4}, {"depth", 2}}}}},
        {"data", {{"folders", {"photos"}}, {"max_side", 1000}}},
        {"degradation", "gaussian:0-55"},
        {"batches", {{{"from", 0}, {"batch", 2}, {"patch", 16}}, {{"from", 4}, {"batch", 3}, {"patch", 24}}}},
        {"loss", {{{"kind", "psnr"}, {"weight", 0.5}}, {{"kind", "charbonnier"}, {"weight", 1.0}}}},
        {"optimizer", {{"lr", 1e-3}, {"lr_min", 1e-6}, {"warmup", 2}, {"grad_clip", 0.5}}},
        {"iterations", 8},
        {"seed", 3},
        {"log_every", 2},
        {"checkpoint_every", 2},
        {"validation", {{"folder", "val"}, {"every", 3}, {"images", 1}, {"degradations", {"gaussian:25"}}}}};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  TrainConfig write_config(const nlohmann::json& j, const std::string& name = "config.json") {
    std::ofstream(dir_ / name) << j.dump(2);
    return load_train_config(dir_ / name);
  }

  static StateDict weights(const std::filesystem::path& file) { return read_checkpoint(file).state_dict; }

  std::filesystem::path dir_;
  nlohmann::json config_;
};

TEST_F(TinyTrainingRun, AResumedRunEndsWithBitIdenticalWeights) {
  const auto config = write_config(config_);
  TrainRunOptions straight;
  straight.state_root = dir_ / "straight";
  const auto whole = train(config, straight);
  EXPECT_TRUE(whole.finished);
  EXPECT_EQ(whole.iteration, 8);

  TrainRunOptions interrupted;
  interrupted.state_root = dir_ / "interrupted";
  interrupted.stop_at = 3;  // between checkpoints, inside the first batch stage
  EXPECT_FALSE(train(config, interrupted).finished);
  interrupted.stop_at = 0;
  interrupted.resume = true;
  const auto resumed = train(config, interrupted);
  EXPECT_TRUE(resumed.finished);

  const auto a = weights(whole.weights), b = weights(resumed.weights);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 10u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.entries()[i].first, b.entries()[i].first);
    EXPECT_TRUE(torch::equal(a.entries()[i].second, b.entries()[i].second)) << a.entries()[i].first;
  }
  const auto fresh = read_checkpoint(whole.run_dir / "tiny.pth");
  EXPECT_EQ(fresh.metadata.at("iterations"), "8");
  EXPECT_EQ(fresh.metadata.at("network"), "HINet");

  // The logs of the resumed run hold each logged iteration once.
  std::ifstream log(resumed.run_dir / "loss.csv");
  std::string line, text;
  int rows = 0;
  std::getline(log, line);
  EXPECT_EQ(line, "iteration,wall_seconds,lr,loss,grad_norm");
  while (std::getline(log, line)) ++rows;
  EXPECT_EQ(rows, 5);  // iterations 2, 3 (the stop), 4, 6, 8
  EXPECT_TRUE(std::filesystem::exists(resumed.run_dir / "validation.csv"));
  EXPECT_TRUE(std::filesystem::exists(resumed.run_dir / "plot.png"));
}

TEST_F(TinyTrainingRun, RefusesToOverwriteAStateOrToResumeWithAnotherConfig) {
  const auto config = write_config(config_);
  TrainRunOptions options;
  options.state_root = dir_ / "runs";
  options.stop_at = 1;
  train(config, options);
  EXPECT_THROW(train(config, options), Error);  // a state exists: --resume is needed
  auto changed = config_;
  changed["optimizer"]["lr"] = 2e-3;
  options.resume = true;
  try {
    train(write_config(changed, "changed.json"), options);
    FAIL() << "a changed config must not resume";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::BadUsage);
    EXPECT_NE(std::string(error.what()).find("differs"), std::string::npos) << error.what();
  }
  TrainRunOptions nothing;
  nothing.state_root = dir_ / "empty";
  nothing.resume = true;
  EXPECT_THROW(train(config, nothing), Error);
}

TEST_F(TinyTrainingRun, ResumeWithoutAStateWarmStartsFromCommittedWeights) {
  TrainRunOptions first;
  first.state_root = dir_ / "first";
  first.stop_at = 3;
  const auto partial = train(write_config(config_), first);
  auto with_weights = config_;
  with_weights["warm_start"] = (partial.run_dir / "tiny.pth").string();
  TrainRunOptions elsewhere;
  elsewhere.state_root = dir_ / "elsewhere";
  elsewhere.resume = true;
  std::string messages;
  elsewhere.on_message = [&](const std::string& text) { messages += text + "\n"; };
  const auto result = train(write_config(with_weights, "warm.json"), elsewhere);
  EXPECT_TRUE(result.finished);
  EXPECT_EQ(result.iteration, 8);
  EXPECT_NE(messages.find("warm start from"), std::string::npos) << messages;
  EXPECT_NE(messages.find("at iteration 3"), std::string::npos) << messages;
}

TEST_F(TinyTrainingRun, InitFromStartsAFreshRunFromAnotherModelsWeightsAtIterationZero) {
  TrainRunOptions first;
  first.state_root = dir_ / "first";
  first.stop_at = 3;
  const auto partial = train(write_config(config_), first);
  const auto start = weights(partial.run_dir / "tiny.pth");

  auto fine_tune = config_;
  fine_tune["name"] = "tuned";
  fine_tune["degradation"] = "jpeg:10-40";
  fine_tune["init_from"] = (partial.run_dir / "tiny.pth").string();
  TrainRunOptions options;
  options.state_root = dir_ / "tune";
  options.stop_at = 1;
  std::string messages;
  options.on_message = [&](const std::string& text) { messages += text + "\n"; };
  const auto result = train(write_config(fine_tune, "tune.json"), options);
  EXPECT_EQ(result.iteration, 1);
  EXPECT_NE(messages.find("fine-tuning from iteration 0"), std::string::npos) << messages;
  // One small Adam step away from the weights it started from, far from a fresh random start.
  const auto tuned = read_checkpoint(result.run_dir / "tuned.pth");
  EXPECT_EQ(tuned.metadata.at("init_from"), "tiny.pth");
  double moved = 0, scale = 0;
  for (size_t i = 0; i < start.size(); ++i) {
    moved += (tuned.state_dict.entries()[i].second - start.entries()[i].second).abs().sum().item<double>();
    scale += start.entries()[i].second.abs().sum().item<double>();
  }
  EXPECT_LT(moved, 0.05 * scale);

  auto other_shape = fine_tune;
  other_shape["network"]["args"]["wf"] = 8;
  TrainRunOptions elsewhere;
  elsewhere.state_root = dir_ / "mismatch";
  try {
    train(write_config(other_shape, "other.json"), elsewhere);
    FAIL() << "weights of another shape must be refused";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("does not fit"), std::string::npos) << error.what();
  }
}

TEST_F(TinyTrainingRun, BatchesAreAFunctionOfSeedAndIteration) {
  const auto config = write_config(config_);
  auto dataset = std::make_shared<PhotoDataset>(config.data);
  EXPECT_EQ(dataset->size(), 4u);
  auto plan = std::make_shared<TrainingBatchPlan>(dataset, parse_degradation(config.degradation), config.batches, 3);
  const auto five = plan->make(5);
  EXPECT_EQ(five.input.sizes(), (std::vector<int64_t>{3, 3, 24, 24}));
  EXPECT_EQ(plan->samples_before(5), 4 * 2 + 1 * 3);
  BatchPrefetcher loader(plan, 4, 8);
  loader.next();
  const auto prefetched = loader.next();
  EXPECT_EQ(prefetched.iteration, 5);
  EXPECT_TRUE(torch::equal(prefetched.input, five.input));
  EXPECT_TRUE(torch::equal(prefetched.target, five.target));
  EXPECT_FALSE(torch::equal(plan->make(6).target, five.target));
}

TEST_F(TinyTrainingRun, ConfigErrorsNameTheFileAndTheField) {
  auto typo = config_;
  typo["optimiser"] = typo["optimizer"];
  try {
    write_config(typo);
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("config.json"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("optimiser"), std::string::npos) << error.what();
  }
  auto bad_loss = config_;
  bad_loss["loss"] = {{{"kind", "ssim"}}};
  EXPECT_THROW(write_config(bad_loss), Error);
  auto big_patch = config_;
  big_patch["batches"] = {{{"batch", 2}, {"patch", 64}}};  // photos are 40-52 pixels high
  TrainRunOptions options;
  options.state_root = dir_ / "runs";
  EXPECT_THROW(train(write_config(big_patch), options), Error);
}

TEST_F(TinyTrainingRun, ValidationTakesOnlyTheFilesWithItsSuffix) {
  cv::Mat lr(10, 14, CV_8UC3, cv::Scalar(1, 2, 3));
  cv::imwrite((dir_ / "val" / "a_LR.png").string(), lr);  // sorts before v.png
  const auto config = write_config(config_);
  const ValidationSet all(config.validation.folder, "", 1, 3, {"gaussian:25"}, 0);
  EXPECT_EQ(all.clean(0).size(3), 14);
  const ValidationSet hr(config.validation.folder, "v.png", 1, 3, {"gaussian:25"}, 0);
  EXPECT_EQ(hr.clean(0).size(3), 28);
  EXPECT_THROW(ValidationSet(config.validation.folder, "_HR.png", 1, 3, {"gaussian:25"}, 0), Error);
  auto with_suffix = config_;
  with_suffix["validation"]["suffix"] = "_HR.png";
  EXPECT_EQ(write_config(with_suffix).validation.suffix, "_HR.png");
}

TEST_F(TinyTrainingRun, ATinySsenTrainsOnSyntheticReferences) {
  auto ssen = config_;
  ssen["name"] = "tiny-ssen";
  ssen["task"] = "refsr";
  ssen["network"] = {{"type", "SSEN"}, {"args", {{"scale", 2}, {"n_feats", 8}, {"n_feat_blocks", 1}, {"n_sr_blocks", 1}}}};
  ssen["degradation"] = "bicubic:2";
  ssen["batches"] = {{{"from", 0}, {"batch", 2}, {"patch", 16}}};
  ssen["iterations"] = 3;
  ssen["validation"]["degradations"] = {"bicubic:2"};
  TrainRunOptions options;
  options.state_root = dir_ / "runs";
  train(write_config(ssen), options);
  EXPECT_FALSE(weights(dir_ / "runs" / "tiny-ssen" / "tiny-ssen.pth").empty());
  std::ifstream validation(dir_ / "runs" / "tiny-ssen" / "validation.csv");
  std::string header, row;
  std::getline(validation, header);
  ASSERT_TRUE(static_cast<bool>(std::getline(validation, row))) << "validated at the end";
  EXPECT_NE(row.find("bicubic:2"), std::string::npos) << row;
}

TEST(PhotoDataset, SyntheticReferencesAreMostlyOfTheSamePhotoAndRepeatable) {
  const auto dir = test::make_temp_dir("references");
  cv::Mat dark(64, 64, CV_8UC3, cv::Scalar(20, 20, 20)), bright(64, 64, CV_8UC3, cv::Scalar(235, 235, 235));
  cv::imwrite((dir / "a-dark.png").string(), dark);
  cv::imwrite((dir / "b-bright.png").string(), bright);
  PhotoDatasetOptions options;
  options.folders = {dir};
  options.min_patch_std = 0;
  const PhotoDataset dataset(options);
  ASSERT_EQ(dataset.size(), 2u);
  int unrelated = 0;
  for (int draw = 0; draw < 200; ++draw) {
    auto generator = make_generator(mix_seed(9, draw, 0));
    PatchPlace place;
    const auto patch = dataset.sample_patch(0, 24, generator, &place);
    const auto reference = dataset.sample_reference(0, place, 24, 1, generator);
    ASSERT_EQ(reference.sizes(), patch.sizes());
    EXPECT_GE(reference.min().item<float>(), 0.0f);
    EXPECT_LE(reference.max().item<float>(), 1.0f);
    if (reference.mean().item<double>() > 0.5) ++unrelated;
    else EXPECT_NEAR(reference.mean().item<double>(), 20 / 255.0, 0.04) << "the same photo, colour-jittered";
    auto again = make_generator(mix_seed(9, draw, 0));
    dataset.sample_patch(0, 24, again);
    EXPECT_TRUE(dataset.sample_reference(0, place, 24, 1, again).equal(reference));
  }
  EXPECT_GT(unrelated, 20);  // about 40 of 200
  EXPECT_LT(unrelated, 65);
  std::filesystem::remove_all(dir);
}

TEST(PhotoDataset, AReferenceCurriculumStartsAlignedAndEndsAtTheFullTransform) {
  const auto dir = test::make_temp_dir("curriculum");
  cv::Mat photo(96, 96, CV_8UC3);
  cv::RNG(4).fill(photo, cv::RNG::UNIFORM, 0, 256);
  cv::imwrite((dir / "noise.png").string(), photo);
  PhotoDatasetOptions options;
  options.folders = {dir};
  options.min_patch_std = 0;
  const PhotoDataset dataset(options);
  // Per-channel gain and offset undone by a least-squares fit: what is left is misalignment.
  const auto misalignment = [](const torch::Tensor& patch, const torch::Tensor& reference) {
    double residual = 0;
    for (int64_t c = 0; c < 3; ++c) {
      const auto x = patch[c].flatten().to(torch::kFloat64), y = reference[c].flatten().to(torch::kFloat64);
      const auto xc = x - x.mean(), yc = y - y.mean();
      const auto gain = (xc * yc).sum() / (xc * xc).sum();
      residual += (yc - gain * xc).pow(2).mean().item<double>();
    }
    return residual;
  };
  double full = 0;
  int same_scene = 0;
  for (int draw = 0; draw < 40; ++draw) {
    auto generator = make_generator(mix_seed(3, draw, 0));
    PatchPlace place;
    const auto patch = dataset.sample_patch(0, 32, generator, &place);
    auto g0 = make_generator(mix_seed(4, draw, 0)), g1 = make_generator(mix_seed(4, draw, 0));
    const auto easy = dataset.sample_reference(0, place, 32, 0, g0, 0.0);
    const auto hard = dataset.sample_reference(0, place, 32, 0, g1, 1.0);
    // Both draws take the same branch (same generator state): same scene or unrelated crop.
    if (misalignment(patch, easy) < 1e-3) {
      ++same_scene;
      full += misalignment(patch, hard);
    }
  }
  EXPECT_GT(same_scene, 20) << "difficulty 0: the patch itself, colour-jittered (the unrelated share aside)";
  EXPECT_GT(full / same_scene, 0.01) << "difficulty 1: shifted, rescaled, rotated: noise no longer lines up";
  std::filesystem::remove_all(dir);
}

TEST(PhotoDataset, ShrinksLargePhotosByAnIntegerFactorWithAnAreaFilter) {
  const auto dir = test::make_temp_dir("photo_dataset");
  cv::Mat photo(300, 500, CV_8UC3, cv::Scalar(10, 20, 30));
  cv::imwrite((dir / "big.png").string(), photo);
  PhotoDatasetOptions options;
  options.folders = {dir};
  options.max_side = 200;  // 500 / 200 -> factor 3
  const PhotoDataset dataset(options);
  EXPECT_EQ(dataset.total_pixels(), (300 / 3) * (500 / 3));
  auto generator = make_generator(1);
  const auto patch = dataset.sample_patch(0, 32, generator);
  EXPECT_EQ(patch.sizes(), (std::vector<int64_t>{3, 32, 32}));
  EXPECT_NEAR(patch[0].mean().item<double>(), 30 / 255.0, 1e-6) << "RGB order";  // BGR scalar (10,20,30)
  std::filesystem::remove_all(dir);
  options.folders = {dir};
  EXPECT_THROW(PhotoDataset{options}, Error);
}

}  // namespace
}  // namespace restora
