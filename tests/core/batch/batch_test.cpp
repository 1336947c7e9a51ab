// The folder batch: which files, where their outputs go, what the log says, resuming and shards.
#include "batch/batch_log.h"
#include "batch/batch_plan.h"
#include "batch/batch_runner.h"

#include "common/error.h"
#include "core/io/test_images.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <fstream>
#include <set>

namespace restora {
namespace {

namespace fs = std::filesystem;

class Batch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::make_temp_dir("batch");
    in_ = dir_ / "in";
    out_ = dir_ / "out";
    fs::create_directories(in_ / "sub" / "deeper");
    fs::create_directories(in_ / ".hidden-folder");
    image("a.png");
    image("B.jpg");
    image("sub/c.tif");
    image("sub/deeper/d.webp");
    image(".hidden-folder/e.png");
    image(".hidden.png");
    std::ofstream(in_ / "Thumbs.db") << "thumbnail cache";
    std::ofstream(in_ / ".DS_Store") << "settings";
    std::ofstream(in_ / "notes.txt") << "text";
    std::ofstream(in_ / "corrupt.png") << "\x89PNG\r\n\x1a\n and then nothing";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void image(const std::string& relative) {
    cv::Mat mat(6, 8, CV_8UC3, cv::Scalar(10, 20, 30));
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(cv::imencode(fs::path(relative).extension().string(), mat, bytes));
    test::write_file(in_ / relative, bytes);
  }

  BatchOptions options(bool recursive = true) const {
    BatchOptions o;
    o.input_dir = in_;
    o.output_dir = out_;
    o.recursive = recursive;
    o.model_name = "Identity";
    return o;
  }

  /// Runs with a restorer that inverts the image (so outputs differ from inputs), counting calls.
  BatchSummary run(const BatchOptions& o, const std::atomic<bool>* cancel = nullptr,
                   std::function<void(const BatchFileResult&)> each = {}) {
    BatchCallbacks callbacks;
    callbacks.on_file = [&](const BatchFileResult& result, size_t, size_t) {
      results_.push_back(result);
      if (each) each(result);
    };
    return run_batch(o, plan_batch(o), BatchRunOptions{}, [this](const Image& input, const std::atomic<bool>*) {
      ++restored_;
      Image output = input;
      output.pixels = cv::Scalar::all(255) - input.pixels;
      return output;
    }, callbacks, cancel);
  }

  const BatchFileResult* result_for(const std::string& path) const {
    for (const auto& result : results_)
      if (result.path == path) return &result;
    return nullptr;
  }

  fs::path dir_, in_, out_;
  std::vector<BatchFileResult> results_;
  int restored_ = 0;
};

std::vector<std::string> relative_paths(const BatchPlan& plan) {
  std::vector<std::string> paths;
  for (const auto& file : plan.files) paths.push_back(file.relative.generic_string());
  return paths;
}

TEST_F(Batch, PlanListsFilesInByteOrderAndSkipsWhatIsNoCandidate) {
  const BatchPlan plan = plan_batch(options());
  // '.' < 'B' < 'T' < 'a' < 'c' < 'n' < 's' as bytes; the hidden folder is never walked.
  EXPECT_EQ(relative_paths(plan), (std::vector<std::string>{".DS_Store", ".hidden.png", "B.jpg", "Thumbs.db", "a.png",
                                                            "corrupt.png", "notes.txt", "sub/c.tif",
                                                            "sub/deeper/d.webp"}));
  std::set<std::string> skipped;
  for (const auto& file : plan.files)
    if (!file.skip_reason.empty()) skipped.insert(file.relative.generic_string());
  EXPECT_EQ(skipped, (std::set<std::string>{".DS_Store", ".hidden.png", "Thumbs.db", "notes.txt"}));
  EXPECT_EQ(plan.files[8].output, plan.output_dir / "sub" / "deeper" / "d.webp");
  EXPECT_EQ(relative_paths(plan_batch(options(false))).size(), 7u);  // no sub-folders
}

TEST_F(Batch, ShardsPartitionTheFilesExactly) {
  BatchOptions o = options();
  const auto all = relative_paths(plan_batch(o));
  std::vector<std::string> together;
  for (int k = 1; k <= 3; ++k) {
    o.shard = {k, 3};
    const auto part = relative_paths(plan_batch(o));
    for (size_t j = 0; j < part.size(); ++j) EXPECT_EQ(part[j], all[(k - 1) + 3 * j]) << k;  // file i -> (i mod N) + 1
    together.insert(together.end(), part.begin(), part.end());
  }
  std::sort(together.begin(), together.end());
  EXPECT_EQ(together, all);
  EXPECT_EQ(batch_log_name({2, 3}), "restora-batch-2-of-3.csv");
  EXPECT_EQ(batch_log_name({1, 1}), "restora-batch.csv");
}

// a.bmp becomes a.png, as a.png does: the first in the whole list's order owns the name, in
// whichever shard each lands ("a.bmp" < "a.png"), so two shards never both write it.
TEST_F(Batch, ShardsAgreeWhichInputOwnsASharedOutputName) {
  image("a.bmp");
  BatchOptions o = options(false);
  const auto all = relative_paths(plan_batch(o));
  const auto at = [&](const std::string& path) { return std::find(all.begin(), all.end(), path) - all.begin(); };
  ASSERT_EQ(at("a.bmp") + 1, at("a.png"));  // neighbours: with two shards they land in different ones
  int restored_a = 0;
  for (int k = 1; k <= 2; ++k) {
    o.shard = {k, 2};
    for (const auto& file : plan_batch(o).files) {
      if (file.relative == "a.png") {
        EXPECT_EQ(file.earlier_claimants, 1);
      } else if (file.relative == "a.bmp") {
        EXPECT_EQ(file.earlier_claimants, 0);
      }
    }
    run(o);
  }
  for (const auto& result : results_) {
    if (result.path == "a.bmp") {
      EXPECT_EQ(result.status, "ok");
      ++restored_a;
    }
    if (result.path == "a.png") {
      EXPECT_EQ(result.status, "skipped");
      EXPECT_EQ(result.reason, "another input has the same output name");
    }
  }
  EXPECT_EQ(restored_a, 1);
  o.shard = {1, 1};
  o.overwrite = OverwritePolicy::Rename;
  results_.clear();
  run(o);
  EXPECT_TRUE(fs::exists(out_ / "a-1.png")) << "the later claimant renamed";
}

TEST_F(Batch, ShardAndPolicyAndPatternArgumentsAreChecked) {
  EXPECT_EQ(parse_shard("2/8").index, 2);
  EXPECT_EQ(parse_shard("2/8").count, 8);
  for (const char* bad : {"0/3", "4/3", "1/0", "x/2", "1/", "/2", "12", "-1/2"}) EXPECT_THROW(parse_shard(bad), Error) << bad;
  EXPECT_THROW(parse_overwrite_policy("always"), Error);
  EXPECT_EQ(expand_name_pattern("{name}-{model}-x{scale}.{ext}", "IMG 1", "HINet", 2, "png"), "IMG 1-HINet-x2.png");
  EXPECT_THROW(expand_name_pattern("{model}.{ext}", "a", "m", 1, "png"), Error);  // outputs would collide
  EXPECT_THROW(expand_name_pattern("{name}.{colour}", "a", "m", 1, "png"), Error);
  BatchOptions same = options();
  same.output_dir = in_;
  EXPECT_THROW(plan_batch(same), Error);
  BatchOptions missing = options();
  missing.input_dir = dir_ / "no-such-folder";
  EXPECT_THROW(plan_batch(missing), Error);
}

TEST_F(Batch, ABadFileIsLoggedAndTheBatchGoesOn) {
  const BatchSummary summary = run(options());
  EXPECT_EQ(summary.ok, 4u);
  EXPECT_EQ(summary.failed, 1u);
  EXPECT_EQ(summary.skipped, 4u);
  EXPECT_EQ(restored_, 4);
  ASSERT_NE(result_for("corrupt.png"), nullptr);
  EXPECT_EQ(result_for("corrupt.png")->status, "failed");
  EXPECT_NE(result_for("corrupt.png")->reason.find("corrupt.png"), std::string::npos);
  EXPECT_TRUE(fs::exists(out_ / "sub" / "deeper" / "d.webp"));
  EXPECT_TRUE(fs::exists(out_ / "B.jpg"));
  EXPECT_FALSE(fs::exists(out_ / "corrupt.png")) << "no output for a failed file";
  // The log: a header and one line per file.
  std::ifstream log(out_ / "restora-batch.csv");
  std::string line;
  std::getline(log, line);
  EXPECT_EQ(line, "path,status,reason,seconds,output");
  size_t lines = 0;
  while (std::getline(log, line)) ++lines;
  EXPECT_EQ(lines, 9u);
}

TEST_F(Batch, SkipResumesReplaceRewritesRenameKeepsBoth) {
  run(options());
  const auto first = test::read_file(out_ / "a.png");
  restored_ = 0;
  const BatchSummary again = run(options());  // default policy: skip
  EXPECT_EQ(again.already_done, 4u);
  EXPECT_EQ(restored_, 0);
  EXPECT_EQ(again.failed, 1u);  // the corrupt file is tried again

  BatchOptions rename = options();
  rename.overwrite = OverwritePolicy::Rename;
  run(rename);
  EXPECT_TRUE(fs::exists(out_ / "a-1.png"));
  EXPECT_TRUE(fs::exists(out_ / "sub" / "c-1.tif"));

  BatchOptions replace = options();
  replace.overwrite = OverwritePolicy::Replace;
  std::ofstream(out_ / "a.png") << "stale";
  run(replace);
  EXPECT_EQ(test::read_file(out_ / "a.png"), first);
}

TEST_F(Batch, AnOutputFolderInsideTheInputIsNeverWalked) {
  BatchOptions inside = options();
  inside.output_dir = in_ / "restored";
  run(inside);
  run(inside);  // the outputs of the first run are not inputs of the second
  for (const auto& result : results_) EXPECT_EQ(result.path.rfind("restored", 0), std::string::npos) << result.path;
  EXPECT_TRUE(fs::exists(in_ / "restored" / "a.png"));
}

TEST_F(Batch, OutputsNeverLandAmongTheInputs) {
  // Input in/sub, output in/: the mirrored output of in/sub/sub/x.png is in/sub/x.png, inside
  // the input tree (an input of the next run); that of in/sub/c.tif is in/c.tif, outside it.
  fs::create_directories(in_ / "sub" / "sub");
  image("sub/sub/x.png");
  BatchOptions above;
  above.input_dir = in_ / "sub";
  above.output_dir = in_;
  above.recursive = true;
  run(above);
  const BatchFileResult* x = result_for("sub/x.png");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->status, "failed");
  EXPECT_NE(x->reason.find("among the input files"), std::string::npos) << x->reason;
  EXPECT_FALSE(fs::exists(in_ / "sub" / "x.png"));
  ASSERT_NE(result_for("c.tif"), nullptr);
  EXPECT_EQ(result_for("c.tif")->status, "ok");
}

TEST_F(Batch, CancelStopsAndAStartedAgainBatchFinishesTheRest) {
  std::atomic<bool> cancel{false};
  const BatchSummary stopped = run(options(), &cancel, [&](const BatchFileResult& result) {
    if (result.status == "ok") cancel.store(true);
  });
  EXPECT_TRUE(stopped.cancelled);
  EXPECT_LT(stopped.ok, 4u);
  const BatchSummary rest = run(options());
  EXPECT_EQ(rest.ok + rest.already_done, 4u);
  EXPECT_EQ(rest.already_done, stopped.ok);
}

TEST_F(Batch, AFailingWriteIsAFailedFileAndNothingPartialIsLeft) {
  inject_write_fault(WriteFault::FullDisk);
  const BatchSummary summary = run(options(false));
  inject_write_fault(WriteFault::None);
  EXPECT_EQ(summary.ok, 0u);
  EXPECT_EQ(summary.failed, 3u);  // a.png, B.jpg and the corrupt one
  for (const auto& entry : fs::directory_iterator(out_))
    EXPECT_EQ(entry.path().filename(), "restora-batch.csv") << "left behind: " << entry.path();
}

TEST(BatchLog, FieldsWithCommasOrQuotesAreQuoted) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
}

}  // namespace
}  // namespace restora
