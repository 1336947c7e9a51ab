#pragma once
// The one job API that the CLI, the batch runner, the GUI and SSEN drive: an image through a
// chain of models, tiled within a memory budget, on a worker thread, with progress, finished
// tiles as they complete, cancellation between tiles and errors returned as values. No Qt.
#include "common/error.h"
#include "engine/restorer.h"
#include "io/image.h"
#include "io/image_file.h"
#include "nets/restoration_network.h"

#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace restora {

/// Arithmetic the networks run in. `automatic`: fp16 on CUDA; on the CPU bf16 convolutions where
/// they measure faster and keep the output's quality (precision_probe.h), fp32 elsewhere.
enum class Precision { fp32, fp16, bf16, automatic };

/// How the image is cut. Both sizes are in pixels of the network's input.
struct TilingOptions {
  /// Side of the tile the network sees, overlap included (rounded up to the network's size
  /// multiple). 0: the whole image at once. Unset: the largest tile the memory budget allows.
  std::optional<int64_t> tile;
  /// Pixels each tile shares with its neighbours. Unset: the engine's default for the network.
  std::optional<int64_t> overlap;
  /// Keep `tile` after an allocation failure: the job fails instead of shrinking it (a study
  /// comparing tilings would otherwise measure another tiling than it asked for).
  bool fixed = false;
};

struct JobOptions {
  TilingOptions tiling;
  /// Bytes the whole job may use (input, output, activations, scratch). 0: default_memory_budget().
  int64_t memory_budget_bytes = 0;
  bool ensemble = false;           ///< x8 flips/rotations averaged (x4 flips for dual-pixel models)
  Precision precision = Precision::automatic;
  torch::Device device = torch::kCPU;
};

/// One model of a chain, as model_loader gives it.
struct JobStage {
  std::shared_ptr<RestorationNetworkImpl> network;
  ModelTraits traits;
};

struct JobInput {
  Image image;
  std::optional<Image> right_view;  ///< dual-pixel models: the right view, same size as `image`
  std::optional<Image> reference;   ///< reference-based SR (SSEN): any size, resized by the engine
  /// When set, the finished image is written there (atomically) by the job; nothing is written
  /// when the job is cancelled or fails.
  std::optional<std::filesystem::path> output_path;
  WriteOptions write_options;  ///< for output_path
};

/// A rectangle in pixels: x, y of the top-left corner.
struct PixelRect {
  int64_t x = 0;
  int64_t y = 0;
  int64_t width = 0;
  int64_t height = 0;
};

/// Where a job stands. Reported after every tile; tiles count over the whole chain.
struct JobProgress {
  int stage = 0;                       ///< index of the model running now
  int stages = 1;
  int64_t tiles_done = 0;
  int64_t tiles_total = 0;
  double fraction = 0.0;               ///< in [0, 1], never decreasing, exactly 1 at the end
  double megapixels_per_second = 0.0;  ///< output megapixels per second so far
  double eta_seconds = -1.0;           ///< negative while unknown
  int64_t tile_size = 0;               ///< the tile side in use (it shrinks after an allocation failure)
};

/// A tile's result as soon as it is computed. The regions of one stage's tiles partition its
/// output (each tile owns the pixels nearer its centre than its neighbours'), so painting them
/// as they arrive fills the image; the final blended pixels differ from them only in the overlaps.
struct FinishedTile {
  int stage = 0;
  bool final_stage = true;  ///< the last model of the chain: `region` is in output-image pixels
  PixelRect region;         ///< in the stage's output pixels
  torch::Tensor rgb;        ///< [1, 3, region.height, region.width] float32 on the CPU, in [0, 1]
};

/// Called on the job's worker thread: marshal to a GUI thread yourself; keep them short.
struct JobCallbacks {
  std::function<void(const JobProgress&)> on_progress;
  std::function<void(const FinishedTile&)> on_tile;
};

struct JobResult {
  enum class Status { finished, cancelled, failed };
  Status status = Status::failed;
  ErrorKind error_kind = ErrorKind::Failed;  ///< for `failed`: which exit code applies
  std::string message;                       ///< one line: "cancelled", or what went wrong
  Image image;                               ///< the restored image when `finished`
  std::vector<std::string> notes;            ///< for the user (e.g. a tile halved after running out of memory)
  /// What `--precision auto` chose for each stage on the CPU, and why (empty otherwise).
  std::vector<std::string> precision;

  bool finished() const { return status == Status::finished; }
};

/// A submitted job running on its own worker thread (apply_threads_to_this_thread() and
/// c10::InferenceMode applied there). Destroying the handle cancels the job and waits for it.
class Job {
 public:
  ~Job();
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  /// Asks the job to stop before its next tile (or network stage). Thread-safe; returns at once.
  void cancel() { cancel_requested_->store(true); }
  bool cancel_requested() const { return cancel_requested_->load(); }
  /// Whether the result is ready (wait() will not block).
  bool done() const { return done_->load(); }
  /// Blocks until the job ends and returns its result (the same result on every call).
  const JobResult& wait();

 private:
  friend std::unique_ptr<Job> submit_job(JobInput, std::vector<JobStage>, JobOptions, JobCallbacks);
  Job() = default;
  std::shared_ptr<std::atomic<bool>> cancel_requested_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<bool>> done_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<JobResult> result_ = std::make_shared<JobResult>();
  std::thread worker_;
};

/// Starts `input` through `chain` (each model's output feeds the next) on a new worker thread.
/// Never throws for problems of the input or models: they come back in the result.
std::unique_ptr<Job> submit_job(JobInput input, std::vector<JobStage> chain, JobOptions options,
                                JobCallbacks callbacks = {});

/// The same job on the calling thread (CLI, batch runner, tests). `cancel` may be set from a
/// callback or another thread.
JobResult run_job(const JobInput& input, const std::vector<JobStage>& chain, const JobOptions& options,
                  const JobCallbacks& callbacks = {}, const std::atomic<bool>* cancel = nullptr);

/// A quarter of physical RAM, at most 4 GiB (on CUDA: the device's free memory).
int64_t default_memory_budget(torch::Device device = torch::kCPU);

}  // namespace restora
