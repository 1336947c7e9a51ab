#include "engine/job.h"

#include "engine/memory_budget.h"
#include "engine/precision_probe.h"
#include "engine/tile_source.h"
#include "engine/tiled_stage.h"
#include "nets/blocks/onednn_conv.h"
#include "runtime/heap.h"
#include "runtime/threads.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace restora {
namespace {

torch::ScalarType autocast_type(Precision precision, torch::Device device) {
  switch (precision) {
    case Precision::fp32: return torch::kFloat;
    case Precision::bf16: return torch::kBFloat16;
    case Precision::fp16:
      if (!device.is_cuda()) throw Error(ErrorKind::BadUsage, "--precision fp16 needs a CUDA device (use bf16 or fp32 on the CPU)");
      return torch::kHalf;
    case Precision::automatic: return device.is_cuda() ? torch::kHalf : torch::kFloat;
  }
  return torch::kFloat;
}

torch::Tensor resize(const torch::Tensor& image, int64_t height, int64_t width, torch::nn::functional::InterpolateFuncOptions::mode_t mode) {
  if (image.size(2) == height && image.size(3) == width) return image;
  namespace F = torch::nn::functional;
  return F::interpolate(image, F::InterpolateFuncOptions()
                                   .size(std::vector<int64_t>{height, width})
                                   .mode(mode)
                                   .align_corners(false))
      .clamp(0.0, 1.0);
}

/// One model of the chain, planned: the size it sees and the tiles it runs in.
struct StagePlan {
  int64_t bicubic_scale = 1;  ///< upscale before the network (MIRNet SR)
  int64_t in_height = 0;      ///< network-input pixels
  int64_t in_width = 0;
  int64_t out_height = 0;
  int64_t out_width = 0;
  StageSettings settings;
  int64_t tiles = 0;
  std::string precision_note;  ///< what `auto` chose on the CPU, and why
};

/// A centre crop of the photo for the bf16 quality check of `auto`: up to 128 px a side, in
/// multiples of the network's size multiple; undefined where the photo is smaller than one.
torch::Tensor precision_sample(const Image& image, int64_t multiple) {
  const auto side = [multiple](int64_t length) { return std::min<int64_t>(128, length) / multiple * multiple; };
  const int64_t h = side(image.height());
  const int64_t w = side(image.width());
  if (h == 0 || w == 0) return {};
  const cv::Rect centre(static_cast<int>((image.width() - w) / 2), static_cast<int>((image.height() - h) / 2),
                        static_cast<int>(w), static_cast<int>(h));
  return rgb_tensor(image, centre);
}

/// What stage i holds besides its forward and blend band (see largest_tile): on the CPU the
/// process as it is (libraries, weights, the decoded photos), then the images the stage allocates:
/// its output (at the photo's depth for the last stage, float for the others), the float output of
/// the stage before (chains) and the reference resized to the output (float). On CUDA the device's
/// memory is the budget and only the images on it would count (untested: no CUDA here).
double held_bytes(const JobInput& input, const std::vector<JobStage>& chain, const std::vector<StagePlan>& earlier,
                  size_t i, const StagePlan& plan, torch::Device device, int64_t budget) {
  constexpr double float_rgb = 3.0 * 4.0;
  // Measured first, and its convolution buffers freed: forward_bytes counts them already.
  memory_model(*chain[i].network, budget);
  release_conv_workspace();
  double held = device.is_cpu() ? resident_bytes_now() : 0.0;
  const double out_pixels = static_cast<double>(plan.out_height * plan.out_width);
  const bool final_stage = i + 1 == chain.size();
  held += out_pixels * (final_stage ? static_cast<double>(input.image.pixels.elemSize()) : float_rgb);
  if (i > 0) held += float_rgb * static_cast<double>(earlier[i - 1].out_height * earlier[i - 1].out_width);
  if (chain[i].network->takes_reference()) held += float_rgb * out_pixels;
  return held;
}

std::vector<StagePlan> plan_stages(const JobInput& input, const std::vector<JobStage>& chain, const JobOptions& options) {
  if (chain.empty()) throw Error(ErrorKind::BadUsage, "a job needs at least one model");
  for (size_t i = 0; i < chain.size(); ++i)
    if (!chain[i].network) throw Error(ErrorKind::BadUsage, "model " + std::to_string(i + 1) + " of the chain is missing");
  // Before any measurement of the networks (largest_tile): a usage error should come at once.
  if (input.reference && std::none_of(chain.begin(), chain.end(), [](const JobStage& s) { return s.network->takes_reference(); }))
    throw Error(ErrorKind::BadUsage, "a reference photo was given, but no model of the chain uses one (reference-based SR models such as SSEN do)");
  const int64_t budget = options.memory_budget_bytes > 0 ? options.memory_budget_bytes : default_memory_budget(options.device);
  std::vector<StagePlan> plans;
  int64_t height = input.image.height();
  int64_t width = input.image.width();
  for (size_t i = 0; i < chain.size(); ++i) {
    const JobStage& stage = chain[i];
    RestorationNetworkImpl& network = *stage.network;
    StagePlan plan;
    const int64_t inside = network.internal_scale();
    if (stage.traits.scale % inside != 0)
      throw Error(ErrorKind::BadUsage, stage.traits.network + ": scale " + std::to_string(stage.traits.scale) +
                                           " is not a multiple of the network's own factor " + std::to_string(inside));
    if (stage.traits.dual_pixel && i > 0)
      throw Error(ErrorKind::BadUsage, "a dual-pixel model can only be the first model of a chain");
    plan.bicubic_scale = stage.traits.scale / inside;
    plan.in_height = height * plan.bicubic_scale;
    plan.in_width = width * plan.bicubic_scale;
    plan.out_height = plan.in_height * inside;
    plan.out_width = plan.in_width * inside;
    plan.settings.overlap = options.tiling.overlap.value_or(default_overlap(stage.traits));
    if (options.tiling.tile.has_value()) {
      plan.settings.tile = *options.tiling.tile;
    } else {
      plan.settings.tile = largest_tile(network, budget, plan.in_height, plan.in_width,
                                        held_bytes(input, chain, plans, i, plan, options.device, budget));
      // A calibrated model's own tile, where the budget allows it (the budget always wins).
      if (stage.traits.tile > 0) plan.settings.tile = std::min(plan.settings.tile, stage.traits.tile);
    }
    if (options.tiling.fixed) plan.settings.smallest_tile = std::numeric_limits<int64_t>::max();
    plan.settings.ensemble = options.ensemble;
    plan.settings.dual_pixel = stage.traits.dual_pixel;
    plan.settings.device = options.device;
    plan.settings.autocast = autocast_type(options.precision, options.device);
    if (options.precision == Precision::automatic && options.device.is_cpu()) {
      std::string why;
      const auto sample = precision_sample(input.image, network.size_multiple());
      const bool bf16 = sample.defined() && automatic_precision(stage.network, sample, why) == ConvPrecision::bf16;
      if (!sample.defined()) why = "fp32 (the photo is too small for the bf16 quality check)";
      plan.settings.autocast = bf16 ? torch::kBFloat16 : torch::kFloat;
      plan.precision_note = stage.traits.network + " runs in " + why;
    }
    plan.tiles = static_cast<int64_t>(
        plan_tiles(plan.in_height, plan.in_width, plan.settings.tile, plan.settings.overlap, network.size_multiple()).count());
    plans.push_back(plan);
    height = plan.out_height;
    width = plan.out_width;
  }
  return plans;
}

std::string size_text(int64_t width, int64_t height) { return std::to_string(width) + "x" + std::to_string(height); }

/// Refuses a reference too far from the size it is resized to (the stage's output), and returns a
/// note when it will be stretched: its aspect ratio differs from the output's by over 10%.
std::optional<std::string> check_reference_fit(const Image& reference, const StagePlan& plan, int64_t in_height, int64_t in_width) {
  const int64_t w = reference.width();
  const int64_t h = reference.height();
  const std::string sizes = "the reference (" + size_text(w, h) + ") ";
  if (2 * w < in_width || 2 * h < in_height)
    throw Error(ErrorKind::BadInput, sizes + "is under half the photo's size (" + size_text(in_width, in_height) +
                                         "): it should be about the output's (" + size_text(plan.out_width, plan.out_height) + ")");
  if (w > 8 * plan.out_width || h > 8 * plan.out_height)
    throw Error(ErrorKind::BadInput, sizes + "is over 8 times the output's size (" +
                                         size_text(plan.out_width, plan.out_height) + "): crop it to the photo's subject");
  const double ratio = (static_cast<double>(w) / h) / (static_cast<double>(plan.out_width) / plan.out_height);
  if (ratio > 1.1 || ratio < 1 / 1.1)
    return sizes + "is resized to " + size_text(plan.out_width, plan.out_height) + ", stretching it: its aspect ratio differs by " +
           std::to_string(static_cast<int>(std::lround(100 * std::abs(std::max(ratio, 1 / ratio) - 1)))) + "%";
  return std::nullopt;
}

/// The network input of the first stage: the image, the right view beside it, upscaled for SR.
std::shared_ptr<const TileSource> first_source(const JobInput& input, const JobStage& stage, const StagePlan& plan) {
  if (input.image.pixels.empty()) throw Error(ErrorKind::BadInput, "the image is empty");
  std::shared_ptr<const TileSource> source = std::make_shared<ImageSource>(input.image);
  if (stage.traits.dual_pixel) {
    if (!input.right_view)
      throw Error(ErrorKind::BadInput, "this dual-pixel defocus model needs the right view as well (--dp-right FILE)");
    if (input.right_view->width() != input.image.width() || input.right_view->height() != input.image.height())
      throw Error(ErrorKind::BadInput, "the right dual-pixel view is not the same size as the left view");
    source = std::make_shared<ConcatSource>(source, std::make_shared<ImageSource>(*input.right_view));
  } else if (input.right_view) {
    throw Error(ErrorKind::BadUsage, "a right dual-pixel view was given but this model is not a dual-pixel model");
  }
  if (plan.bicubic_scale > 1) source = std::make_shared<BicubicSource>(source, plan.bicubic_scale);
  return source;
}

class ProgressReporter {
 public:
  ProgressReporter(const std::vector<StagePlan>& plans, const JobCallbacks& callbacks)
      : plans_(plans), callbacks_(callbacks), start_(std::chrono::steady_clock::now()) {
    for (const auto& plan : plans_) total_pixels_ += static_cast<double>(plan.out_height * plan.out_width);
  }

  /// Reports the stage's plan at once (tiles 0 of N, the tile side): a first tile can take minutes.
  void stage_begins(int stage) {
    stage_ = stage;
    JobProgress progress = last_;
    progress.stage = stage;
    progress.stages = static_cast<int>(plans_.size());
    progress.tiles_done = finished_tiles_;
    progress.tiles_total = finished_tiles_;
    for (size_t i = static_cast<size_t>(stage); i < plans_.size(); ++i) progress.tiles_total += plans_[i].tiles;
    progress.fraction = last_fraction_;
    progress.tile_size = plans_[static_cast<size_t>(stage)].settings.tile;
    if (callbacks_.on_progress) callbacks_.on_progress(progress);
    last_ = progress;
  }

  void tile(const StageTile& tile) {
    const StagePlan& plan = plans_[static_cast<size_t>(stage_)];
    JobProgress progress;
    progress.stage = stage_;
    progress.stages = static_cast<int>(plans_.size());
    progress.tiles_done = finished_tiles_ + tile.tiles_done;
    progress.tiles_total = finished_tiles_ + tile.tiles_total;
    for (size_t i = static_cast<size_t>(stage_) + 1; i < plans_.size(); ++i) progress.tiles_total += plans_[i].tiles;
    const double stage_pixels = static_cast<double>(plan.out_height * plan.out_width);
    const double done_pixels = finished_pixels_ + tile.fraction * stage_pixels;
    progress.fraction = std::max(last_fraction_, std::min(1.0, done_pixels / total_pixels_));
    last_fraction_ = progress.fraction;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (seconds > 0) progress.megapixels_per_second = done_pixels / 1e6 / seconds;
    if (progress.fraction > 0 && progress.fraction < 1) progress.eta_seconds = seconds * (1 - progress.fraction) / progress.fraction;
    if (progress.fraction >= 1) progress.eta_seconds = 0;
    progress.tile_size = tile.tile;
    if (tile.fraction >= 1.0) {
      finished_tiles_ += tile.tiles_done;
      finished_pixels_ += stage_pixels;
    }
    if (callbacks_.on_progress) callbacks_.on_progress(progress);
    last_ = progress;
  }

  void finish() {
    JobProgress progress = last_;
    progress.fraction = 1.0;
    progress.eta_seconds = 0;
    progress.tiles_done = progress.tiles_total;
    if (callbacks_.on_progress) callbacks_.on_progress(progress);
  }

 private:
  const std::vector<StagePlan>& plans_;
  const JobCallbacks& callbacks_;
  std::chrono::steady_clock::time_point start_;
  double total_pixels_ = 0;
  double finished_pixels_ = 0;
  int64_t finished_tiles_ = 0;
  double last_fraction_ = 0;
  int stage_ = 0;
  JobProgress last_;
};

Image run_chain(const JobInput& input, const std::vector<JobStage>& chain, const JobOptions& options,
                const JobCallbacks& callbacks, const std::atomic<bool>* cancel, std::vector<std::string>& notes,
                std::vector<std::string>& precision) {
  const std::vector<StagePlan> plans = plan_stages(input, chain, options);
  for (size_t i = 0; input.reference && i < chain.size(); ++i) {
    if (!chain[i].network->takes_reference()) continue;
    const int64_t in_height = i == 0 ? input.image.height() : plans[i - 1].out_height;
    const int64_t in_width = i == 0 ? input.image.width() : plans[i - 1].out_width;
    if (auto note = check_reference_fit(*input.reference, plans[i], in_height, in_width)) notes.push_back(*note);
  }
  for (const auto& plan : plans)
    if (!plan.precision_note.empty()) precision.push_back(plan.precision_note);
  ProgressReporter reporter(plans, callbacks);
  torch::Tensor current;  // the output of the stage before, in float (chains only)
  Image output;
  for (size_t i = 0; i < chain.size(); ++i) {
    const JobStage& stage = chain[i];
    const StagePlan& plan = plans[i];
    RestorationNetworkImpl& network = *stage.network;
    network.eval();
    network.to(options.device);
    std::shared_ptr<const TileSource> source =
        i == 0 ? first_source(input, stage, plan) : std::make_shared<TensorSource>(current);
    if (i > 0 && plan.bicubic_scale > 1) source = std::make_shared<BicubicSource>(source, plan.bicubic_scale);
    std::unique_ptr<TensorSource> reference;
    if (network.takes_reference()) {
      // No reference: self-similarity mode (SSEN), the stage's own input upscaled bicubically.
      const torch::Tensor reference_rgb =
          input.reference ? rgb_tensor(*input.reference) : (i == 0 ? rgb_tensor(input.image) : current);
      reference = std::make_unique<TensorSource>(resize(reference_rgb, plan.out_height, plan.out_width, torch::kBicubic));
    }
    const bool final_stage = i + 1 == chain.size();
    // The last stage stores straight into the output at the input's depth; the others hand float on.
    std::unique_ptr<TensorSink> tensor_sink;
    std::unique_ptr<ImageSink> image_sink;
    if (final_stage) {
      output = make_output_like(input.image, plan.out_width, plan.out_height);
      image_sink = std::make_unique<ImageSink>(output);
    } else {
      tensor_sink = std::make_unique<TensorSink>(plan.out_height, plan.out_width);
    }
    TileSink& sink = final_stage ? static_cast<TileSink&>(*image_sink) : *tensor_sink;
    StageHooks hooks;
    hooks.cancelled = [cancel] { return cancel != nullptr && cancel->load(); };
    hooks.tile_done = [&, i, final_stage](const StageTile& tile) {
      if (callbacks.on_tile) callbacks.on_tile(FinishedTile{static_cast<int>(i), final_stage, tile.owned, tile.rgb});
      reporter.tile(tile);
    };
    hooks.tile_shrunk = [&notes, &stage](int64_t tile, const std::string& reason) {
      notes.push_back(stage.traits.network + ": tiles shrunk to " + std::to_string(tile) + " pixels after an allocation failure (" +
                      reason.substr(0, reason.find('\n')) + ")");
    };
    // Linux seldom refuses an allocation (the OOM killer strikes instead): a tile that would not fit
    // in MemAvailable counts as an allocation failure, which shrinks the tile.
    if (options.device.is_cpu()) {
      const MemoryModel model = memory_model(network);
      hooks.before_forward = [model](const torch::Tensor& tile) {
        const auto available = available_memory();
        const double need = model.forward_bytes(tile.size(2), tile.size(3));
        if (available && static_cast<double>(*available) < need) {
          // Worded so that is_allocation_failure() takes it as one, and the note says why.
          throw std::runtime_error("not enough memory: a forward of " + std::to_string(tile.size(3)) + "x" +
                                   std::to_string(tile.size(2)) + " needs " + describe_bytes(need) + ", " +
                                   describe_bytes(static_cast<double>(*available)) + " available");
        }
      };
    }
    reporter.stage_begins(static_cast<int>(i));
    run_tiled_stage(network, *source, reference.get(), sink, plan.settings, hooks);
    current = final_stage ? torch::Tensor() : tensor_sink->pixels();
  }
  reporter.finish();
  return output;
}

}  // namespace

JobResult run_job(const JobInput& input, const std::vector<JobStage>& chain, const JobOptions& options,
                  const JobCallbacks& callbacks, const std::atomic<bool>* cancel) {
  apply_threads_to_this_thread();
  c10::InferenceMode inference;  // thread-local: created on the thread that runs the job
  struct ReleaseWorkspace {
    ~ReleaseWorkspace() {
      release_conv_workspace();
      return_freed_memory();
    }
  } release_workspace;
  JobResult result;
  try {
    result.image = run_chain(input, chain, options, callbacks, cancel, result.notes, result.precision);
    if (input.output_path) write_image(*input.output_path, result.image, input.write_options);
    result.status = JobResult::Status::finished;
  } catch (const Error& error) {
    const bool cancelled = cancel != nullptr && cancel->load() && std::string(error.what()) == "cancelled";
    result.status = cancelled ? JobResult::Status::cancelled : JobResult::Status::failed;
    result.error_kind = error.kind();
    result.message = error.what();
  } catch (const std::exception& error) {
    result.status = JobResult::Status::failed;
    result.error_kind = ErrorKind::Failed;
    const std::string what = error.what();
    result.message = what.substr(0, what.find('\n'));
  }
  if (!result.finished()) result.image = Image{};
  return result;
}

Job::~Job() {
  cancel();
  if (worker_.joinable()) worker_.join();
}

const JobResult& Job::wait() {
  if (worker_.joinable()) worker_.join();
  return *result_;
}

std::unique_ptr<Job> submit_job(JobInput input, std::vector<JobStage> chain, JobOptions options, JobCallbacks callbacks) {
  std::unique_ptr<Job> job(new Job());
  // The worker owns copies of everything it uses, and shares only the flags and the result.
  job->worker_ = std::thread([input = std::move(input), chain = std::move(chain), options = std::move(options),
                              callbacks = std::move(callbacks), cancel = job->cancel_requested_, done = job->done_,
                              result = job->result_]() {
    *result = run_job(input, chain, options, callbacks, cancel.get());
    done->store(true);
  });
  return job;
}

}  // namespace restora
