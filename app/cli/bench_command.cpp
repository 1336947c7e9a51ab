// `restora-cli bench`: speed of a network on this machine.
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "cli/model_options.h"
#include "common/error.h"
#include "engine/benchmark.h"
#include "engine/memory_budget.h"
#include "engine/model_loader.h"
#include "engine/precision_probe.h"
#include "nets/network_factory.h"
#include "nets/official_configs.h"
#include "runtime/threads.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace restora::cli {
namespace {

ArgParser make_parser() {
  ArgParser parser("restora-cli bench (-m MODEL_ID | --weights FILE | --network NAME --config TASK) [--size WxH] [--runs N]",
                   "Time a network's forward on a random image: ms per image, ms per megapixel, megapixels\n"
                   "per second, GFLOP/s (analytic convolution FLOPs) and the process's peak memory.\n"
                   "--network/--config build an official configuration with random weights.");
  parser.option("model", 'm', "MODEL_ID", "a bundled or user model (see 'restora-cli models')");
  add_checkpoint_options(parser);
  parser.option("network", 0, "NAME", "MPRNet, MIRNet, MIRNet_v2 or HINet")
      .option("config", 0, "TASK", "official configuration of --network (e.g. deblur, gopro, real_denoising)")
      .option("size", 0, "WxH", "image size (default 256x256)")
      .option("runs", 0, "N", "timed runs; the median is reported (default 3)")
      .option("warmup", 0, "N", "untimed runs first (default 1)")
      .option("tile", 0, "N", "tile side of the tiled run (default 512; 0 skips it)")
      .option("overlap", 0, "M", "overlap of the tiled run (default: the network's)")
      .option("precision", 0, "P", "fp32, bf16 or auto: CPU convolutions (default fp32; auto: what this machine's probe found faster)");
  add_compute_options(parser);
  return parser;
}

std::pair<int64_t, int64_t> parse_size(const std::string& text) {
  const auto x = text.find('x');
  try {
    if (x != std::string::npos) {
      size_t used_w = 0;
      size_t used_h = 0;
      const long long width = std::stoll(text.substr(0, x), &used_w);
      const long long height = std::stoll(text.substr(x + 1), &used_h);
      if (used_w == x && used_h == text.size() - x - 1 && width > 0 && height > 0 && width <= 16384 &&
          height <= 16384)
        return {width, height};
    }
  } catch (const std::exception&) {
  }
  throw Error(ErrorKind::BadUsage, "--size expects WxH with 1..16384 pixels each, e.g. 512x512; got '" + text + "'");
}

int run_bench(const std::vector<std::string>& args) {
  const ArgParser parser = make_parser();
  const ParsedArgs parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  const bool by_weights = parsed.has("weights") || parsed.has("model");
  if (by_weights == (parsed.has("network") || parsed.has("config")))
    throw Error(ErrorKind::BadUsage, "give either -m MODEL_ID, --weights FILE or --network NAME --config TASK");
  const auto [width, height] = parse_size(parsed.optional_value("size").value_or("256x256"));
  BenchmarkSettings settings;
  settings.width = width;
  settings.height = height;
  settings.runs = static_cast<int>(parsed.int_value("runs", 3, 1, 1000));
  settings.warmup = static_cast<int>(parsed.int_value("warmup", 1, 0, 100));
  const std::string precision = parsed.optional_value("precision").value_or("fp32");
  settings.precision = precision_option(parsed, "fp32", torch::kCPU);  // bench runs on the CPU
  apply_thread_option(parsed);

  std::shared_ptr<RestorationNetworkImpl> network;
  ModelTraits traits;
  std::string label;
  if (by_weights) {
    LoadedModel model = load_chosen_model(parsed);
    network = model.network;
    traits = model.traits;
    for (const auto& note : model.notes) std::cerr << "restora-cli: note: " << note << '\n';
    const std::string source = parsed.has("model") ? parsed.value("model")
                                                   : std::filesystem::path(parsed.value("weights")).filename().string();
    label = model.traits.network + (model.traits.task.empty() ? "" : " " + model.traits.task) + " (" + source + ")";
  } else {
    const OfficialConfig& config = require_official_config(parsed.value("network"), parsed.value("config"));
    network = make_network(config.spec());
    traits.network = config.network;
    traits.task = config.task;
    label = config.network + " " + config.task + " (random weights)";
  }
  apply_convolution_option(parsed, *network);
  // Both runs give the network the same input: no bicubic upscale before an SR network.
  traits.scale = network->internal_scale();
  traits.dual_pixel = network->input_channels() == 6;
  const int64_t tile = parsed.int_value("tile", 512, 0, 65536);
  const int64_t overlap = parsed.int_value("overlap", default_overlap(traits), 0, 4096);
  const bool peak_resets = reset_peak_resident();
  const BenchmarkResult result = run_benchmark(*network, settings);
  BenchmarkResult tiled;
  if (tile > 0) {
    reset_peak_resident();
    tiled = run_tiled_benchmark({network, traits}, settings, tile, overlap);
  }

  std::printf("network        %s\n", label.c_str());
  std::printf("input          %lldx%lld (run at %lldx%lld), %d thread(s), %d run(s)\n",
              static_cast<long long>(width), static_cast<long long>(height),
              static_cast<long long>(result.padded_width), static_cast<long long>(result.padded_height),
              configured_threads(), settings.runs);
  std::printf("convolutions   %s\n", describe_convolution_option(parsed).c_str());
  const bool ran_bf16 = benchmark_precision(settings) == ConvPrecision::bf16 && !parsed.has("exact");
  std::printf("precision      %s (--precision %s), oneDNN ISA %s\n", ran_bf16 ? "bf16 convolutions" : "fp32",
              precision.c_str(), conv_isa().c_str());
  std::printf("whole image    %.1f ms per image (median; min %.1f, max %.1f)\n", result.ms_per_image(),
              *std::min_element(result.seconds.begin(), result.seconds.end()) * 1e3,
              *std::max_element(result.seconds.begin(), result.seconds.end()) * 1e3);
  std::printf("               %.1f ms per megapixel, %.4f megapixels per second\n", result.ms_per_megapixel(),
              result.megapixels_per_second());
  std::printf("compute        %.1f GFLOP per image, %.1f GFLOP/s\n", result.gflop, result.gflop_per_second());
  std::printf("peak memory    %.0f MiB (process resident set%s)\n", result.peak_memory_mib,
              peak_resets ? "" : "; not resettable here, covers the whole process");
  if (tile > 0) {
    std::printf("tiled          %lld px tiles, overlap %lld: %.1f ms per image (median), %.4f output megapixels per second (%.2fx whole)\n",
                static_cast<long long>(tile), static_cast<long long>(overlap), tiled.ms_per_image(),
                tiled.megapixels_per_second(), tiled.megapixels_per_second() / result.megapixels_per_second());
    std::printf("tiled memory   %.0f MiB peak (process resident set)\n", tiled.peak_memory_mib);
  }
  return 0;
}

const CommandRegistration registration({"bench", "time a network's forward on this machine", run_bench});

}  // namespace
}  // namespace restora::cli
