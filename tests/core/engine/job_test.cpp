#include "engine/job.h"

#include "engine/precision_probe.h"
#include "engine_test_networks.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <unistd.h>

#include <filesystem>
#include <thread>

namespace restora {
namespace {

JobStage local_stage(int64_t scale = 1, uint64_t seed = 7) {
  return {std::make_shared<test::LocalConvNetImpl>(3, scale, 4, seed), {"Local", "", scale, false}};
}

/// 16 bits: quantising the input costs at most 0.5 / 65535, below every tolerance here.
JobInput input_of(const torch::Tensor& rgb) {
  JobInput input;
  input.image = image_from_rgb_tensor(rgb, 16);
  return input;
}

torch::Tensor pixels_of(const JobResult& result) { return rgb_tensor(result.image); }

JobOptions tiled(int64_t tile, int64_t overlap) {
  JobOptions options;
  options.tiling.tile = tile;
  options.tiling.overlap = overlap;
  return options;
}

TEST(Job, ProgressIsMonotonicCountsTilesAndEndsAtOneHundredPercent) {
  std::vector<JobProgress> seen;
  JobCallbacks callbacks;
  callbacks.on_progress = [&](const JobProgress& progress) { seen.push_back(progress); };
  const JobResult result = run_job(input_of(torch::rand({1, 3, 60, 50})), {local_stage()}, tiled(24, 8), callbacks);
  ASSERT_TRUE(result.finished()) << result.message;
  ASSERT_GT(seen.size(), 3U);
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].fraction, seen[i - 1].fraction);
    EXPECT_GE(seen[i].tiles_done, seen[i - 1].tiles_done);
  }
  EXPECT_EQ(seen.back().fraction, 1.0);
  EXPECT_EQ(seen.back().tiles_done, seen.back().tiles_total);
  EXPECT_EQ(seen.back().eta_seconds, 0.0);
  EXPECT_GT(seen.back().megapixels_per_second, 0.0);
}

TEST(Job, AutoPrecisionSaysWhatEachStageRunsInAndWhyAndAChosenOneSaysNothing) {
  const auto input = input_of(torch::rand({1, 3, 40, 40}));
  const JobResult automatic = run_job(input, {local_stage(), local_stage(1, 8)}, tiled(0, 0));
  ASSERT_TRUE(automatic.finished()) << automatic.message;
  ASSERT_EQ(automatic.precision.size(), 2U);
  for (const auto& line : automatic.precision) {
    EXPECT_EQ(line.rfind("Local runs in ", 0), 0U) << line;
    // Where bf16 is faster here, the network's own bf16 output on a crop of the photo decides.
    const bool checked = machine_precision_probe().bf16_faster;
    EXPECT_EQ(line.find("PSNR(bf16, fp32)") != std::string::npos, checked) << line;
  }
  JobOptions fp32 = tiled(0, 0);
  fp32.precision = Precision::fp32;
  const JobResult chosen = run_job(input, {local_stage()}, fp32);
  ASSERT_TRUE(chosen.finished()) << chosen.message;
  EXPECT_TRUE(chosen.precision.empty());
}

TEST(Job, AModelsCalibratedTileIsTheDefaultAndExplicitOptionsOverrideIt) {
  JobStage calibrated = local_stage();
  calibrated.traits.tile = 24;
  calibrated.traits.overlap = 8;
  const auto image = torch::rand({1, 3, 60, 50});
  int64_t tile_seen = 0;
  int64_t tiles_seen = 0;
  JobCallbacks callbacks;
  callbacks.on_progress = [&](const JobProgress& progress) {
    tile_seen = progress.tile_size;
    tiles_seen = progress.tiles_total;
  };
  const JobResult by_default = run_job(input_of(image), {calibrated}, JobOptions{}, callbacks);
  ASSERT_TRUE(by_default.finished()) << by_default.message;
  EXPECT_EQ(tile_seen, 24);
  EXPECT_GT(tiles_seen, 4);
  const JobResult explicit_tiles = run_job(input_of(image), {local_stage()}, tiled(24, 8));
  EXPECT_TRUE(test::all_close(pixels_of(by_default), pixels_of(explicit_tiles), 0.0));
  const JobResult whole = run_job(input_of(image), {calibrated}, tiled(0, 0), callbacks);
  ASSERT_TRUE(whole.finished()) << whole.message;
  EXPECT_EQ(tiles_seen, 1);
}

JobInput with_reference(int64_t width, int64_t height) {
  JobInput input = input_of(torch::rand({1, 3, 20, 30}));
  input.reference = image_from_rgb_tensor(torch::rand({1, 3, height, width}), 8);
  return input;
}

TEST(Job, AReferenceForAModelThatTakesNoneIsRefused) {
  const JobResult result = run_job(with_reference(60, 40), {local_stage()}, tiled(0, 0));
  EXPECT_EQ(result.status, JobResult::Status::failed);
  EXPECT_EQ(result.error_kind, ErrorKind::BadUsage);
  EXPECT_NE(result.message.find("no model of the chain uses one"), std::string::npos) << result.message;
}

TEST(Job, AReferenceFarFromTheOutputsSizeIsRefusedAndAStretchedOneNoted) {
  // The x2 network's output is 60x40; the photo is 30x20.
  const JobStage refsr{std::make_shared<test::ReferenceNetImpl>(), {"Ref", "refsr_x2", 2, false}};
  for (const auto& [width, height] : std::vector<std::pair<int64_t, int64_t>>{{14, 20}, {30, 9}, {481, 40}}) {
    const JobResult result = run_job(with_reference(width, height), {refsr}, tiled(0, 0));
    EXPECT_EQ(result.error_kind, ErrorKind::BadInput) << width << "x" << height;
    EXPECT_EQ(result.message.rfind("the reference (", 0), 0u) << result.message;
  }
  const JobResult fitting = run_job(with_reference(90, 62), {refsr}, tiled(0, 0));
  ASSERT_TRUE(fitting.finished()) << fitting.message;
  EXPECT_TRUE(fitting.notes.empty());
  const JobResult stretched = run_job(with_reference(60, 60), {refsr}, tiled(0, 0));
  ASSERT_TRUE(stretched.finished()) << stretched.message;
  ASSERT_EQ(stretched.notes.size(), 1u);
  EXPECT_NE(stretched.notes[0].find("aspect ratio differs by 50%"), std::string::npos) << stretched.notes[0];
}

TEST(Job, SrModelsThatUpscaleFirstGetEachTileUpscaledWithEnoughContext) {
  const auto image = torch::rand({1, 3, 29, 38});
  JobStage sr{std::make_shared<test::LocalConvNetImpl>(), {"Local", "sr_x3", 3, false}};
  const JobResult tiled_result = run_job(input_of(image), {sr}, tiled(32, 16));
  ASSERT_TRUE(tiled_result.finished()) << tiled_result.message;
  EXPECT_EQ(pixels_of(tiled_result).sizes(), (std::vector<int64_t>{1, 3, 87, 114}));
  Restorer whole_path(sr.network, sr.traits, torch::kCPU);
  // The output is stored at 16 bits: half a level of rounding on top of the tiling's 1e-5.
  EXPECT_TRUE(test::all_close(pixels_of(tiled_result), whole_path.restore(rgb_tensor(input_of(image).image)), 1e-5 + 0.5 / 65535));
}

TEST(Job, AChainEqualsRunningItsModelsOneAfterAnother) {
  const auto image = torch::rand({1, 3, 41, 30});
  const JobStage denoise = local_stage(1, 3);
  const JobStage upscale = local_stage(2, 5);
  const JobResult chained = run_job(input_of(image), {denoise, upscale}, tiled(24, 8));
  ASSERT_TRUE(chained.finished()) << chained.message;
  const JobResult first = run_job(input_of(image), {denoise}, tiled(24, 8));
  JobInput between;
  between.image = first.image;
  const JobResult second = run_job(between, {upscale}, tiled(24, 8));
  EXPECT_EQ(pixels_of(chained).sizes(), (std::vector<int64_t>{1, 3, 82, 60}));
  EXPECT_EQ(chained.image.bits(), 16);
  // A chain hands float from model to model; the two separate runs round to 16 bits in between.
  EXPECT_TRUE(test::all_close(pixels_of(chained), pixels_of(second), 1e-4));
}

TEST(Job, RunsOnAWorkerThreadAndDeliversEveryTileAsItFinishes) {
  const auto image = torch::rand({1, 3, 45, 64});
  std::atomic<int> tiles{0};
  std::atomic<int64_t> area{0};
  std::thread::id worker;
  JobCallbacks callbacks;
  callbacks.on_tile = [&](const FinishedTile& tile) {
    worker = std::this_thread::get_id();
    EXPECT_TRUE(tile.final_stage);
    EXPECT_EQ(tile.rgb.size(2), tile.region.height);
    area += tile.region.width * tile.region.height;
    ++tiles;
  };
  auto job = submit_job(input_of(image), {local_stage()}, tiled(24, 8), callbacks);
  const JobResult& result = job->wait();
  ASSERT_TRUE(result.finished()) << result.message;
  EXPECT_TRUE(job->done());
  EXPECT_GT(tiles.load(), 1);
  EXPECT_EQ(area.load(), 45 * 64);
  EXPECT_NE(worker, std::this_thread::get_id());
  const JobResult same = run_job(input_of(image), {local_stage()}, tiled(24, 8));
  EXPECT_TRUE(test::all_close(pixels_of(result), pixels_of(same), 0.0));
}

TEST(Job, CancelFromTheProgressCallbackReturnsCancelledAndWritesNothing) {
  const auto folder = std::filesystem::temp_directory_path() / ("restora_job_cancel_" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  JobInput input = input_of(torch::rand({1, 3, 64, 64}));
  input.output_path = folder / "out.png";
  std::atomic<bool> cancel{false};
  int64_t tiles_at_cancel = 0;
  JobCallbacks callbacks;
  callbacks.on_progress = [&](const JobProgress& progress) {
    if (progress.tiles_done == 3) {
      cancel = true;
      tiles_at_cancel = progress.tiles_done;
    }
    EXPECT_LE(progress.tiles_done, 3);
  };
  const JobResult result = run_job(input, {local_stage()}, tiled(16, 4), callbacks, &cancel);
  EXPECT_EQ(result.status, JobResult::Status::cancelled);
  EXPECT_EQ(result.message, "cancelled");
  EXPECT_EQ(tiles_at_cancel, 3);
  EXPECT_TRUE(result.image.pixels.empty());
  EXPECT_TRUE(std::filesystem::is_empty(folder)) << "the cancelled job left a file behind";
  std::filesystem::remove_all(folder);
}

TEST(Job, AFinishedJobWritesItsOutput) {
  const auto path = std::filesystem::temp_directory_path() / ("restora_job_out_" + std::to_string(::getpid()) + ".png");
  JobInput input = input_of(torch::rand({1, 3, 20, 24}));
  input.output_path = path;
  const JobResult result = run_job(input, {local_stage()}, tiled(16, 4));
  ASSERT_TRUE(result.finished()) << result.message;
  EXPECT_TRUE(std::filesystem::exists(path));
  std::filesystem::remove(path);
}

TEST(Job, ErrorsComeBackAsValuesWithTheirKind) {
  JobStage dual{std::make_shared<test::LocalConvNetImpl>(6), {"Local", "defocus", 1, true}};
  const JobResult missing_view = run_job(input_of(torch::rand({1, 3, 16, 16})), {dual}, tiled(0, 0));
  EXPECT_EQ(missing_view.status, JobResult::Status::failed);
  EXPECT_EQ(missing_view.error_kind, ErrorKind::BadInput);
  EXPECT_NE(missing_view.message.find("right view"), std::string::npos) << missing_view.message;

  const JobResult no_model = run_job(input_of(torch::rand({1, 3, 16, 16})), {}, tiled(0, 0));
  EXPECT_EQ(no_model.status, JobResult::Status::failed);
  EXPECT_EQ(no_model.error_kind, ErrorKind::BadUsage);
}

TEST(Job, AnInjectedAllocationFailureRetriesWithHalfTheTileAndSaysSo) {
  const auto image = torch::rand({1, 3, 88, 88});  // 3 x 3 tiles of 40 px, none of them shortened
  /// Fails its third forward at the first tile size only.
  class FailingNet : public test::LocalConvNetImpl {
   public:
    std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override {
      if (input.size(2) == 40 && ++big_calls == 3) throw std::bad_alloc();
      return LocalConvNetImpl::forward_stages(input);
    }
    int big_calls = 0;
  };
  JobStage failing{std::make_shared<FailingNet>(), {"Local", "", 1, false}};
  std::vector<int64_t> tile_sizes;
  JobCallbacks callbacks;
  callbacks.on_progress = [&](const JobProgress& progress) { tile_sizes.push_back(progress.tile_size); };
  const JobResult recovered = run_job(input_of(image), {failing}, tiled(40, 16), callbacks);
  ASSERT_TRUE(recovered.finished()) << recovered.message;
  ASSERT_EQ(recovered.notes.size(), 1U);
  EXPECT_NE(recovered.notes[0].find("20 pixels"), std::string::npos) << recovered.notes[0];
  EXPECT_EQ(tile_sizes.front(), 40);
  EXPECT_EQ(tile_sizes.back(), 20);
  const JobResult smaller = run_job(input_of(image), {local_stage()}, tiled(20, 16));
  EXPECT_TRUE(test::all_close(pixels_of(recovered), pixels_of(smaller), 1e-5 + 1.0 / 65535));
}

TEST(Job, FixedTilesFailOnAnAllocationFailureInsteadOfShrinking) {
  /// Fails every forward of a 40-px tile.
  class FailingNet : public test::LocalConvNetImpl {
   public:
    std::vector<torch::Tensor> forward_stages(const torch::Tensor& input) override {
      if (input.size(2) == 40) throw std::bad_alloc();
      return LocalConvNetImpl::forward_stages(input);
    }
  };
  JobStage failing{std::make_shared<FailingNet>(), {"Local", "", 1, false}};
  JobOptions options = tiled(40, 16);
  options.tiling.fixed = true;
  const JobResult result = run_job(input_of(torch::rand({1, 3, 88, 88})), {failing}, options);
  EXPECT_EQ(result.status, JobResult::Status::failed);
  EXPECT_NE(result.message.find("out of memory"), std::string::npos) << result.message;
  EXPECT_TRUE(result.notes.empty()) << "no tile was shrunk";
}
TEST(Job, TheOutputKeepsTheInputsDepthLayoutAlphaAndMetadata) {
  JobInput input;
  input.image.pixels = cv::Mat(30, 20, CV_8UC2);
  cv::randu(input.image.pixels, 0, 256);
  input.image.metadata.set_icc_profile({1, 2, 3});
  const JobResult result = run_job(input, {local_stage(2)}, tiled(16, 4));
  ASSERT_TRUE(result.finished()) << result.message;
  EXPECT_EQ(result.image.pixels.type(), CV_8UC2);
  EXPECT_EQ(result.image.width(), 40);
  EXPECT_EQ(result.image.height(), 60);
  EXPECT_EQ(result.image.metadata.icc_profile(), input.image.metadata.icc_profile());
  cv::Mat alpha_in, alpha_out;
  cv::extractChannel(input.image.pixels, alpha_in, 1);
  cv::extractChannel(result.image.pixels, alpha_out, 1);
  cv::Mat expected;
  cv::resize(alpha_in, expected, alpha_out.size(), 0, 0, cv::INTER_LINEAR);
  EXPECT_LE(cv::norm(alpha_out, expected, cv::NORM_INF), 1.0) << "alpha is resized with the image, not restored";
}

}  // namespace
}  // namespace restora
