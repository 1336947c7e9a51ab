#pragma once
#include "training/degradation.h"
#include "training/photo_dataset.h"

#include <torch/types.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace restora {

/// Batch and patch size from a given iteration on (MIRNet-v2's progressive training).
struct BatchStage {
  int64_t from_iteration = 0;
  int64_t batch = 8;
  int64_t patch = 64;
};

/// One training batch: degraded input and clean target, [B, C, P, P] float32 (the input P/s for
/// a network that upsamples by s inside), and for reference-based networks a synthetic reference
/// [B, C, P, P] per sample (PhotoDataset::sample_reference).
struct TrainingBatch {
  int64_t iteration = 0;
  torch::Tensor input;
  torch::Tensor target;
  torch::Tensor reference;  ///< undefined unless TrainingBatchOptions::references
};

/// What the network needs of a batch beyond the degradation.
struct TrainingBatchOptions {
  bool references = false;    ///< draw a synthetic reference per sample (SSEN)
  int64_t network_scale = 1;  ///< the network's own upsampling: the input is bicubic-upscaled by the rest
  /// Same-scene references grow from aligned to the full transform over this many iterations,
  /// the transform's ranges times (iteration / this)^2
  /// (0: full from the start); see TrainConfig::reference_curriculum.
  int64_t reference_curriculum = 0;
};

/// Which samples make up the batch of each iteration. Everything is a function of (seed,
/// iteration): the photo order is a fresh permutation per epoch of the data, every crop, flip
/// and noise draw comes from a generator seeded by (seed, iteration). So a run resumed at
/// iteration k sees exactly the batches an uninterrupted run sees, with no RNG state to store.
class TrainingBatchPlan {
 public:
  TrainingBatchPlan(std::shared_ptr<const PhotoDataset> dataset, Degradation degradation,
                    std::vector<BatchStage> stages, uint64_t seed, TrainingBatchOptions options = {});

  TrainingBatch make(int64_t iteration) const;
  const BatchStage& stage_at(int64_t iteration) const;
  /// Samples drawn before `iteration` (the position in the data order).
  int64_t samples_before(int64_t iteration) const;

 private:
  size_t photo_for_sample(int64_t sample) const;

  std::shared_ptr<const PhotoDataset> dataset_;
  Degradation degradation_;
  std::vector<BatchStage> stages_;
  uint64_t seed_;
  TrainingBatchOptions options_;
  mutable std::mutex order_mutex_;
  mutable int64_t order_epoch_ = -1;
  mutable std::vector<size_t> order_;  ///< the permutation of order_epoch_
};

/// Builds the batches of iterations first, first+1, ... on a background thread, a few ahead of
/// the trainer. next() returns them in order and rethrows what the loader thread threw.
/// The destructor stops and joins the thread.
class BatchPrefetcher {
 public:
  BatchPrefetcher(std::shared_ptr<const TrainingBatchPlan> plan, int64_t first_iteration, int64_t end_iteration,
                  size_t depth = 2);
  ~BatchPrefetcher();
  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

  TrainingBatch next();

 private:
  void run(int64_t first_iteration, int64_t end_iteration);

  std::shared_ptr<const TrainingBatchPlan> plan_;
  size_t depth_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<TrainingBatch> ready_;
  std::exception_ptr failure_;
  bool stopping_ = false;
  bool finished_ = false;
  std::thread thread_;
};

}  // namespace restora
