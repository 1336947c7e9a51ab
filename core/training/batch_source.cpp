#include "training/batch_source.h"

#include "common/error.h"
#include "runtime/threads.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

namespace restora {

TrainingBatchPlan::TrainingBatchPlan(std::shared_ptr<const PhotoDataset> dataset, Degradation degradation,
                                     std::vector<BatchStage> stages, uint64_t seed, TrainingBatchOptions options)
    : dataset_(std::move(dataset)), degradation_(std::move(degradation)), stages_(std::move(stages)), seed_(seed),
      options_(options) {
  if (options_.network_scale < 1 || degradation_.scale() % options_.network_scale != 0)
    throw Error(ErrorKind::BadUsage, "training: the degradation's scale " + std::to_string(degradation_.scale()) +
                                         " is not a multiple of the network's own factor " +
                                         std::to_string(options_.network_scale));
  if (stages_.empty() || stages_.front().from_iteration != 0)
    throw Error(ErrorKind::BadUsage, "training: the first batch stage must start at iteration 0");
  for (size_t i = 0; i < stages_.size(); ++i) {
    const auto& s = stages_[i];
    if (s.batch < 1 || s.patch < 8)
      throw Error(ErrorKind::BadUsage, "training: batch must be >= 1 and patch >= 8");
    if (i > 0 && s.from_iteration <= stages_[i - 1].from_iteration)
      throw Error(ErrorKind::BadUsage, "training: batch stages must start at increasing iterations");
    if (s.patch % degradation_.scale() != 0)
      throw Error(ErrorKind::BadUsage, "training: patch " + std::to_string(s.patch) + " is not a multiple of the scale " +
                                           std::to_string(degradation_.scale()));
    if (s.patch > dataset_->smallest_side())
      throw Error(ErrorKind::BadUsage, "training: patch " + std::to_string(s.patch) +
                                           " is larger than the smallest training photo side " +
                                           std::to_string(dataset_->smallest_side()));
  }
}

const BatchStage& TrainingBatchPlan::stage_at(int64_t iteration) const {
  size_t i = 0;
  while (i + 1 < stages_.size() && stages_[i + 1].from_iteration <= iteration) ++i;
  return stages_[i];
}

int64_t TrainingBatchPlan::samples_before(int64_t iteration) const {
  int64_t samples = 0;
  for (size_t i = 0; i < stages_.size() && stages_[i].from_iteration < iteration; ++i) {
    const int64_t end = i + 1 < stages_.size() ? std::min(iteration, stages_[i + 1].from_iteration) : iteration;
    samples += (end - stages_[i].from_iteration) * stages_[i].batch;
  }
  return samples;
}

size_t TrainingBatchPlan::photo_for_sample(int64_t sample) const {
  const int64_t n = static_cast<int64_t>(dataset_->size());
  const int64_t epoch = sample / n;
  std::lock_guard<std::mutex> lock(order_mutex_);
  if (epoch != order_epoch_) {
    order_.resize(static_cast<size_t>(n));
    std::iota(order_.begin(), order_.end(), size_t{0});
    auto generator = make_generator(mix_seed(seed_, static_cast<uint64_t>(epoch), 0x0d3e));
    for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[random_below(generator, i)]);
    order_epoch_ = epoch;
  }
  return order_[static_cast<size_t>(sample % n)];
}

TrainingBatch TrainingBatchPlan::make(int64_t iteration) const {
  const auto& stage = stage_at(iteration);
  auto generator = make_generator(mix_seed(seed_, static_cast<uint64_t>(iteration), 0xba7c));
  const int64_t first = samples_before(iteration);
  // Quadratic: near-aligned references for long enough that the network learns to use them
  // before the offsets must learn to find them.
  const double progress =
      options_.reference_curriculum > 0
          ? std::min(1.0, static_cast<double>(iteration + 1) / static_cast<double>(options_.reference_curriculum))
          : 1.0;
  const double difficulty = progress * progress;
  std::vector<torch::Tensor> patches, references;
  patches.reserve(static_cast<size_t>(stage.batch));
  for (int64_t j = 0; j < stage.batch; ++j) {
    const size_t photo = photo_for_sample(first + j);
    PatchPlace place;
    patches.push_back(dataset_->sample_patch(photo, stage.patch, generator, &place));
    if (options_.references) {
      // Any other photo for the unrelated case (the photo itself when there is only one).
      const size_t n = dataset_->size();
      const size_t unrelated = n > 1 ? (photo + 1 + random_below(generator, n - 1)) % n : photo;
      references.push_back(dataset_->sample_reference(photo, place, stage.patch, unrelated, generator, difficulty));
    }
  }
  TrainingBatch batch;
  batch.iteration = iteration;
  batch.target = torch::stack(patches);
  batch.input = upscale_for_network(degrade(batch.target, degradation_, generator),
                                    degradation_.scale() / options_.network_scale);
  if (options_.references) batch.reference = torch::stack(references);
  return batch;
}

BatchPrefetcher::BatchPrefetcher(std::shared_ptr<const TrainingBatchPlan> plan, int64_t first_iteration,
                                 int64_t end_iteration, size_t depth)
    : plan_(std::move(plan)), depth_(std::max<size_t>(1, depth)) {
  thread_ = std::thread([this, first_iteration, end_iteration] { run(first_iteration, end_iteration); });
}

BatchPrefetcher::~BatchPrefetcher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void BatchPrefetcher::run(int64_t first_iteration, int64_t end_iteration) {
  apply_threads_to_this_thread();
  try {
    for (int64_t k = first_iteration; k < end_iteration; ++k) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || ready_.size() < depth_; });
        if (stopping_) return;
      }
      TrainingBatch batch = plan_->make(k);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ready_.push_back(std::move(batch));
      }
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    failure_ = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
  }
  changed_.notify_all();
}

TrainingBatch BatchPrefetcher::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty() || finished_; });
  if (ready_.empty()) {
    if (failure_) std::rethrow_exception(failure_);
    throw Error(ErrorKind::Failed, "training: the data loader ran past the last iteration");
  }
  TrainingBatch batch = std::move(ready_.front());
  ready_.pop_front();
  lock.unlock();
  changed_.notify_all();
  return batch;
}

}  // namespace restora
