// `restora-cli eval`: PSNR/SSIM of a model on clean images with a synthetic degradation, or on pairs.
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "cli/model_options.h"
#include "cli/progress.h"
#include "common/error.h"
#include "engine/restorer.h"
#include "training/baselines.h"
#include "training/evaluation.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace restora::cli {
namespace {

std::vector<Degradation> parse_degradations(const std::string& list) {
  std::vector<Degradation> out;
  std::stringstream in(list);
  std::string spec;
  while (std::getline(in, spec, ',')) out.push_back(parse_degradation(spec));
  if (out.empty()) throw Error(ErrorKind::BadUsage, "--degrade: no degradation given");
  return out;
}

/// A folder under the system's temporary directory, made on first use and removed with its files.
class TemporaryFolder {
 public:
  TemporaryFolder() = default;
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  ~TemporaryFolder() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() {
    if (path_.empty()) {
      path_ = std::filesystem::temp_directory_path() / ("restora-eval-" + std::to_string(::getpid()));
      std::filesystem::create_directories(path_);
    }
    return path_;
  }

 private:
  std::filesystem::path path_;
};

void write_csv(const std::string& path, const std::vector<EvalRow>& rows) {
  std::ofstream out(path, std::ios::trunc);
  out << "image,degradation,psnr,ssim,input_psnr,seconds\n";
  char line[256];
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "%s,%s,%.4f,%.5f,%.4f,%.3f\n", r.image.c_str(), r.degradation.c_str(), r.psnr,
                  r.ssim, r.input_psnr, r.seconds);
    out << line;
  }
  if (!out) throw Error(ErrorKind::Failed, "cannot write " + path);
}

void print_table(const std::vector<EvalRow>& means, const EvalOptions& options) {
  std::printf("%-18s %-14s %9s %8s %11s %9s\n", "degradation", "images", "PSNR dB", "SSIM", "input dB", "s/image");
  for (const auto& m : means) {
    char input[32] = "n/a";
    if (!std::isnan(m.input_psnr)) std::snprintf(input, sizeof input, "%.2f", m.input_psnr);
    std::printf("%-18s %-14s %9.2f %8.4f %11s %9.2f\n", m.degradation.c_str(), m.image.c_str(), m.psnr, m.ssim, input,
                m.seconds);
  }
  std::printf("(%s channel, border %d, results rounded to 8 bits as saved files; %s)\n",
              options.metric.channel == MetricChannel::Y ? "Y (BT.601)" : "RGB", options.metric.crop_border,
              options.tile > 0 ? ("tiles of " + std::to_string(options.tile) + " px, overlap " + std::to_string(options.overlap)).c_str()
                               : "whole images");
}

int run_eval(const std::vector<std::string>& args) {
  ArgParser parser(
      "restora-cli eval (-m MODEL_ID | --weights FILE | --baseline nlmeans:H|bicubic:S) (--data DIR|GLOB --degrade SPEC[,SPEC...] | --lq GLOB --gt GLOB)\n"
      "                 [--ref FILE|GLOB] [--channel rgb|y] [--crop N] [--seed N] [--limit N] [--tile N] [--overlap M] [--csv FILE]",
      "PSNR/SSIM (published conventions: SSIM of Wang et al., 11x11 Gaussian, valid region) of a model's\n"
      "results. --data: every image of DIR is degraded by each SPEC (gaussian:25, ...; noise seeded per image\n"
      "and spec, not clipped). --lq/--gt: pairs of files whose '*' parts match, e.g.\n"
      "--lq 'Set5/x4/*_LR.png' --gt 'Set5/x4/*_HR.png'. --ref: reference photos for reference-based SR (SSEN),\n"
      "paired the same way (--data 'stereo/*_left.png' --ref 'stereo/*_right.png'), or one FILE for all; 'same-scene'\n"
      "makes each a shifted, rescaled, rotated, colour-jittered view of its own photo, 'other-scene' gives each\n"
      "another image of the set (docs/SSEN.md). SR models default to the Y channel with the scale\n"
      "cropped from each border, others to RGB without crop.");
  parser.option("model", 'm', "MODEL_ID", "a bundled or user model (see 'restora-cli models')")
      .option("baseline", 0, "nlmeans:H|bicubic:S",
              "instead of a model: OpenCV's fastNlMeansDenoisingColored with strength H, or bicubic upscaling by S");
  add_checkpoint_options(parser);
  parser.option("data", 0, "DIR|GLOB", "folder of clean images to degrade, or a pattern with one '*' in the file name")
      .option("degrade", 0, "SPEC", "degradation(s), comma-separated (docs/TRAINING.md): gaussian:SIGMA, jpeg:Q, bicubic:S, kernel:FILE.mat#N+gaussian:2.55, none, ...")
      .option("lq", 0, "GLOB", "degraded files (one '*' in the file name)")
      .option("gt", 0, "GLOB", "reference files (one '*' in the file name)")
      .option("ref", 0, "FILE|GLOB|same-scene|other-scene",
              "RefSR reference photo(s) for SSEN models; without it they use the input itself")
      .option("channel", 0, "rgb|y", "measure RGB or the BT.601 Y channel")
      .option("crop", 0, "N", "pixels cropped from each border before measuring")
      .option("seed", 0, "N", "noise seed (default 0)")
      .option("limit", 0, "N", "only the first N images")
      .option("tile", 0, "N", "restore in tiles of N pixels, as restore does (default: the model's own tile, else whole images)")
      .option("overlap", 0, "M", "pixels neighbouring tiles share (default: the model's, else 32)")
      .option("csv", 0, "FILE", "per-image rows (default eval.csv)");
  add_compute_options(parser);
  const ParsedArgs parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  const bool synthetic = parsed.has("data") || parsed.has("degrade");
  const bool pairs = parsed.has("lq") || parsed.has("gt");
  if (synthetic == pairs) throw Error(ErrorKind::BadUsage, "give either --data DIR --degrade SPEC or --lq GLOB --gt GLOB");
  std::vector<EvalImage> images;
  std::vector<Degradation> degradations;
  if (synthetic) {
    degradations = parse_degradations(parsed.value("degrade"));
    images = clean_images(parsed.value("data"));
  } else {
    images = paired_images(parsed.value("lq"), parsed.value("gt"));
  }
  const std::optional<std::string> reference_photos = parsed.optional_value("ref");
  if (parsed.has("limit")) images.resize(std::min<size_t>(images.size(), parsed.int_value("limit", 0, 1, 1 << 20)));
  TemporaryFolder synthetic_references;
  if (reference_photos == "same-scene" || reference_photos == "other-scene") {
    attach_synthetic_references(images,
                                *reference_photos == "same-scene" ? SyntheticReferenceKind::SameScene
                                                                  : SyntheticReferenceKind::OtherScene,
                                static_cast<uint64_t>(parsed.int_value("seed", 0, 0, 1LL << 62)),
                                synthetic_references.path());
  } else if (reference_photos) {
    attach_reference_photos(images, *reference_photos);
  }
  apply_thread_option(parsed);
  const bool baseline = parsed.has("baseline");
  if (baseline && (parsed.has("model") || parsed.has("weights")))
    throw Error(ErrorKind::BadUsage, "give one of -m MODEL_ID, --weights FILE.pth and --baseline nlmeans:H|bicubic:S");
  if (baseline && reference_photos) throw Error(ErrorKind::BadUsage, "--ref is for reference-based SR models, not --baseline");
  // bicubic:S is the floor every SR model must clear: the upscaling SR networks add their residual to.
  const std::string baseline_spec = baseline ? parsed.value("baseline") : "";
  const bool bicubic = baseline_spec.rfind("bicubic:", 0) == 0;
  const int64_t bicubic_scale = bicubic ? parse_bicubic_baseline(baseline_spec) : 1;
  const float nlmeans_h = baseline && !bicubic ? parse_nlmeans_baseline(baseline_spec) : 0.0f;
  LoadedModel model;
  if (bicubic) {
    model.traits.network = "bicubic upscaling";
    model.traits.task = "sr";
    model.traits.scale = bicubic_scale;
  } else if (baseline) {
    model.traits.network = "fastNlMeansDenoisingColored";
    model.traits.task = "h " + baseline_spec.substr(8);
  } else {
    model = load_chosen_model(parsed);
    if (reference_photos && !model.network->takes_reference())
      throw Error(ErrorKind::BadUsage, "--ref '" + *reference_photos + "': reference photos are only for reference-based SR models (SSEN); " +
                                           model.traits.network + " takes none");
    apply_convolution_option(parsed, *model.network);
    for (const auto& note : model.notes) std::cerr << "restora-cli: note: " << note << '\n';
  }

  EvalOptions options;
  const bool sr = model.traits.scale > 1;
  const std::string channel = parsed.optional_value("channel").value_or(sr ? "y" : "rgb");
  if (channel != "rgb" && channel != "y") throw Error(ErrorKind::BadUsage, "--channel must be rgb or y");
  options.metric.channel = channel == "y" ? MetricChannel::Y : MetricChannel::All;
  options.metric.crop_border = static_cast<int>(parsed.int_value("crop", sr ? model.traits.scale : 0, 0, 64));
  options.seed = static_cast<uint64_t>(parsed.int_value("seed", 0, 0, 1LL << 62));
  options.tile = parsed.int_value("tile", model.traits.tile, 0, 1 << 16);
  options.overlap = parsed.int_value("overlap", model.traits.tile > 0 ? model.traits.overlap : 32, 0, 1 << 15);

  if (baseline) options.tile = 0;
  ProgressBar bar("evaluating");
  const auto on_progress = [&](size_t done, size_t total) { bar.update(static_cast<double>(done) / total); };
  std::vector<EvalRow> rows;
  if (bicubic) {
    rows = evaluate([bicubic_scale](const torch::Tensor& input, const Image*) { return upscale_for_network(input, bicubic_scale); },
                    images, degradations, options, on_progress);
  } else if (baseline) {
    rows = evaluate([nlmeans_h](const torch::Tensor& input, const Image*) { return nlmeans_denoise(input, nlmeans_h); }, images,
                    degradations, options, on_progress);
  } else {
    Restorer restorer(model.network, model.traits, torch::kCPU);
    rows = evaluate(restorer, images, degradations, options, on_progress);
  }
  bar.finish();
  const std::string csv = parsed.optional_value("csv").value_or("eval.csv");
  write_csv(csv, rows);
  std::printf("%s%s\n", model.traits.network.c_str(), model.traits.task.empty() ? "" : (" " + model.traits.task).c_str());
  print_table(mean_rows(rows), options);
  std::printf("per image: %s\n", csv.c_str());
  return 0;
}

const CommandRegistration registration({"eval", "PSNR/SSIM of a model on a validation set", run_eval});

}  // namespace
}  // namespace restora::cli
