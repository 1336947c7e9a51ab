#include "training/trainer.h"

#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "common/user_dirs.h"
#include "nets/network_factory.h"
#include "training/batch_source.h"
#include "training/run_state.h"
#include "training/training_log.h"
#include "training/validation.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <sstream>

namespace restora {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string format_double(double value, int digits) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << value;
  return out.str();
}

/// The loop's moving parts, set up once per train() call.
class TrainingRun {
 public:
  TrainingRun(const TrainConfig& config, const TrainRunOptions& options)
      : config_(config), options_(options), run_dir_(run_directory(config, options.state_root)) {}

  TrainResult run();

 private:
  void message(const std::string& text) const {
    if (options_.on_message) options_.on_message(text);
  }
  void build_network();
  void restore_or_start();
  void warm_start();
  void init_from();
  void save(bool final_save);
  void write_weights(const std::filesystem::path& path) const;

  const TrainConfig& config_;
  const TrainRunOptions& options_;
  std::filesystem::path run_dir_;
  std::shared_ptr<RestorationNetworkImpl> network_;
  std::unique_ptr<Adam> adam_;
  RunState state_;
  std::vector<ValidationScore> last_scores_;
  double session_seconds_ = 0;
};

void TrainingRun::build_network() {
  // Initial weights come from LibTorch's global generator: seeded, so a fresh run is repeatable.
  torch::manual_seed(config_.seed);
  network_ = make_network(config_.network);
  network_->train();
  std::vector<torch::Tensor> parameters;
  std::vector<std::string> names;
  for (const auto& item : network_->named_parameters(true)) {
    parameters.push_back(item.value());
    names.push_back(item.key());
  }
  adam_ = std::make_unique<Adam>(parameters, names, config_.adam);
}

void TrainingRun::restore_or_start() {
  const auto saved = load_run_state(run_dir_);
  if (!options_.resume) {
    if (saved)
      throw Error(ErrorKind::BadUsage, "a resume state of run '" + config_.name + "' exists in " + run_dir_.string() +
                                           " (iteration " + std::to_string(saved->iteration) +
                                           "): add --resume to continue it, or remove that folder to start afresh");
    state_.config = config_.canonical;
    if (!config_.init_from.empty()) init_from();
    return;
  }
  if (!saved) {
    std::error_code error;
    if (config_.warm_start.empty() || !std::filesystem::exists(config_.warm_start, error))
      throw Error(ErrorKind::BadUsage, "--resume: no resume state of run '" + config_.name + "' in " + run_dir_.string() +
                                           (config_.warm_start.empty() ? "" : " and no " + config_.warm_start.string()));
    warm_start();
    return;
  }
  if (saved->config != config_.canonical)
    throw Error(ErrorKind::BadUsage, "--resume: " + config_.file.string() + " differs from the config run '" +
                                         config_.name + "' was started with (saved in " +
                                         (run_dir_ / "state.json").string() + "); a resume must not change it");
  state_ = *saved;
  load_state_dict(*network_, read_checkpoint(run_dir_ / state_.weights_file).state_dict);
  adam_->load_state(read_checkpoint(run_dir_ / state_.optimizer_file).state_dict, state_.adam_steps);
  truncate_logs_after(run_dir_, state_.iteration);
  message("resumed run '" + config_.name + "' at iteration " + std::to_string(state_.iteration) + " from " +
          run_dir_.string());
}

void TrainingRun::warm_start() {
  const Checkpoint committed = read_checkpoint(config_.warm_start);
  load_state_dict(*network_, committed.state_dict);
  const auto iterations = committed.metadata.find("iterations");
  state_.iteration = iterations == committed.metadata.end() ? 0 : std::stoll(iterations->second);
  const auto wall = committed.metadata.find("wall_seconds");
  state_.wall_seconds = wall == committed.metadata.end() ? 0 : std::stod(wall->second);
  state_.config = config_.canonical;
  message("no resume state in " + run_dir_.string() + ": warm start from " + config_.warm_start.string() +
          " at iteration " + std::to_string(state_.iteration) +
          " with fresh optimiser moments (not bit-identical to an uninterrupted run)");
}

void TrainingRun::init_from() {
  std::error_code error;
  if (!std::filesystem::is_regular_file(config_.init_from, error))
    throw Error(ErrorKind::BadInput, config_.file.string() + ": init_from: no file " + config_.init_from.string());
  const Checkpoint start = read_checkpoint(config_.init_from);
  try {
    load_state_dict(*network_, start.state_dict);
  } catch (const Error& e) {
    throw Error(ErrorKind::BadInput, config_.file.string() + ": init_from " + config_.init_from.string() +
                                         " does not fit this network: " + e.what());
  }
  const auto iterations = start.metadata.find("iterations");
  message("fresh run initialised from " + config_.init_from.string() +
          (iterations == start.metadata.end() ? "" : " (trained " + iterations->second + " iterations)") +
          ": fine-tuning from iteration 0");
}

void TrainingRun::write_weights(const std::filesystem::path& path) const {
  std::map<std::string, std::string> metadata = {
      {"network", config_.network.network},
      {"task", config_.task},
      {"run", config_.name},
      {"iterations", std::to_string(state_.iteration)},
      {"wall_seconds", format_double(state_.wall_seconds + session_seconds_, 0)},
      {"degradation", config_.degradation},
      {"config", config_.canonical}};
  if (!config_.init_from.empty()) metadata["init_from"] = config_.init_from.filename().string();
  for (const auto& score : last_scores_) {
    metadata["validation_psnr " + score.degradation] = format_double(score.psnr, 3);
  }
  write_checkpoint(path, module_state(*network_), metadata);
}

void TrainingRun::save(bool final_save) {
  RunState snapshot = state_;
  snapshot.adam_steps = adam_->steps();
  snapshot.wall_seconds = state_.wall_seconds + session_seconds_;
  save_run_state(run_dir_, snapshot, module_state(*network_), adam_->state());
  write_weights(run_dir_ / (config_.name + ".pth"));
  message(std::string(final_save ? "saved" : "checkpoint") + " at iteration " + std::to_string(state_.iteration) +
          " in " + run_dir_.string());
}

TrainResult TrainingRun::run() {
  build_network();
  restore_or_start();
  ++state_.sessions;

  auto dataset = std::make_shared<PhotoDataset>(config_.data);
  TrainingBatchOptions batch_options;
  batch_options.references = network_->takes_reference();
  batch_options.network_scale = network_->internal_scale();
  batch_options.reference_curriculum = config_.reference_curriculum;
  auto plan = std::make_shared<TrainingBatchPlan>(dataset, parse_degradation(config_.degradation), config_.batches,
                                                  config_.seed, batch_options);
  const auto& v = config_.validation;
  const ValidationSet validation(v.folder, v.suffix, v.images, config_.data.channels, v.degradations, v.seed,
                                 network_->internal_scale());
  int64_t parameters = 0;
  for (const auto& p : adam_->parameters()) parameters += p.numel();
  message("run '" + config_.name + "': " + config_.network.network + ", " + std::to_string(parameters) +
          " parameters, " + std::to_string(dataset->size()) + " training photos (" +
          format_double(static_cast<double>(dataset->total_pixels()) / 1e6, 1) + " MP), " +
          std::to_string(validation.images()) + " validation images; state in " + run_dir_.string());

  TrainingLog log(run_dir_);
  const int64_t end = options_.stop_at > 0 ? std::min(options_.stop_at, config_.iterations) : config_.iterations;
  std::unique_ptr<BatchPrefetcher> loader;
  if (state_.iteration < end) loader = std::make_unique<BatchPrefetcher>(plan, state_.iteration, end);

  const auto session_start = Clock::now();
  auto report_start = Clock::now();
  double loss_sum = 0;
  int64_t loss_count = 0, report_first = state_.iteration;
  while (state_.iteration < end) {
    if (options_.stop && options_.stop->load()) break;
    const auto batch = loader->next();
    const int64_t k = state_.iteration;
    const double lr = learning_rate(k, config_.lr, config_.lr_min, config_.warmup, config_.iterations);
    adam_->zero_grad();
    const auto outputs = batch.reference.defined() ? network_->forward_stages_with_reference(batch.input, batch.reference)
                                                   : network_->forward_stages(batch.input);
    const auto loss = total_loss(outputs, batch.target, config_.loss);
    loss.backward();
    const double grad_norm = clip_gradients(adam_->parameters(), config_.grad_clip);
    adam_->step(lr);
    const double loss_value = loss.item<double>();
    if (!std::isfinite(loss_value))
      throw Error(ErrorKind::Failed, "training diverged at iteration " + std::to_string(k + 1) +
                                         " (loss " + std::to_string(loss_value) + "); the last good state is in " +
                                         run_dir_.string());
    state_.iteration = k + 1;
    session_seconds_ = seconds_since(session_start);
    loss_sum += loss_value;
    ++loss_count;

    if (state_.iteration % config_.log_every == 0 || state_.iteration == end) {
      const double elapsed = seconds_since(report_start);
      TrainProgress progress;
      progress.iteration = state_.iteration;
      progress.total = config_.iterations;
      progress.loss = loss_sum / static_cast<double>(loss_count);
      progress.lr = lr;
      progress.iterations_per_second = static_cast<double>(state_.iteration - report_first) / std::max(elapsed, 1e-9);
      progress.eta_seconds = static_cast<double>(config_.iterations - state_.iteration) /
                             std::max(progress.iterations_per_second, 1e-9);
      log.loss_row(state_.iteration, state_.wall_seconds + session_seconds_, lr, progress.loss, grad_norm);
      if (options_.on_progress) options_.on_progress(progress);
      loss_sum = 0;
      loss_count = 0;
      report_first = state_.iteration;
      report_start = Clock::now();
    }
    if (state_.iteration % config_.validation.every == 0 || state_.iteration == config_.iterations) {
      const auto validation_start = Clock::now();
      last_scores_ = validation.evaluate(*network_);
      network_->train();
      for (const auto& s : last_scores_) {
        log.validation_row(state_.iteration, state_.wall_seconds + session_seconds_, s);
        message("validation at " + std::to_string(state_.iteration) + ", " + s.degradation + ": PSNR " +
                format_double(s.psnr, 2) + " dB (input " + format_double(s.input_psnr, 2) + "), SSIM " +
                format_double(s.ssim, 4));
      }
      if (!last_scores_.empty() && last_scores_[0].psnr > state_.best_psnr) {
        state_.best_psnr = last_scores_[0].psnr;
        state_.best_iteration = state_.iteration;
        write_weights(run_dir_ / (config_.name + "-best.pth"));
      }
      log.plot();
      report_start += Clock::now() - validation_start;  // it/s and ETA count training only
    }
    if (state_.iteration % config_.checkpoint_every == 0 && state_.iteration < end) save(false);
  }
  loader.reset();
  session_seconds_ = seconds_since(session_start);
  save(true);

  TrainResult result;
  result.iteration = state_.iteration;
  result.run_dir = run_dir_;
  result.weights = run_dir_ / (config_.name + ".pth");
  result.finished = state_.iteration >= config_.iterations;
  return result;
}

}  // namespace

std::filesystem::path run_directory(const TrainConfig& config, const std::filesystem::path& state_root) {
  return (state_root.empty() ? user_cache_dir() / "train" : state_root) / config.name;
}

TrainResult train(const TrainConfig& config, const TrainRunOptions& options) {
  TrainingRun run(config, options);
  return run.run();
}

}  // namespace restora
