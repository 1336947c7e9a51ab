#include "cli/model_options.h"

#include "common/error.h"
#include "engine/memory_budget.h"
#include "models/model_registry.h"
#include "nets/blocks/fast_conv2d.h"
#include "runtime/threads.h"

namespace restora::cli {

void add_checkpoint_options(ArgParser& parser) {
  parser.option("weights", 0, "FILE.pth", "an official or Restora checkpoint (network and configuration detected from it)")
      .option("key", 0, "K", "checkpoint entry holding the weights (params, params_ema, state_dict, ...)")
      .option("task", 0, "T", "official task of the checkpoint where its shapes cannot tell (see inspect)")
      .option("scale", 0, "N", "super-resolution factor where the checkpoint cannot tell (2, 3, 4)")
      .option("net-arg", 0, "NAME=VALUE",
              "a constructor argument the weights cannot tell, e.g. relu_slope=0.1 (repeatable; see inspect)");
}

std::vector<std::pair<std::string, std::string>> net_args(const ParsedArgs& parsed) {
  std::vector<std::pair<std::string, std::string>> args;
  for (const auto& text : parsed.values("net-arg")) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
      throw Error(ErrorKind::BadUsage, "--net-arg expects NAME=VALUE, e.g. relu_slope=0.2; got '" + text + "'");
    args.emplace_back(text.substr(0, eq), text.substr(eq + 1));
  }
  return args;
}

std::vector<ModelRequest> checkpoint_requests(const ParsedArgs& parsed) {
  const std::vector<std::string> files = parsed.values("weights");
  if (files.size() <= 1) return {checkpoint_request(parsed)};
  for (const char* hint : {"key", "task", "scale", "net-arg"})
    if (parsed.has(hint))
      throw Error(ErrorKind::BadUsage, std::string("--") + hint + " describes a single checkpoint: it cannot be used with a chain of " +
                                           std::to_string(files.size()) + " --weights");
  std::vector<ModelRequest> requests;
  for (const auto& file : files) {
    ModelRequest request;
    request.weights = file;
    requests.push_back(request);
  }
  return requests;
}

void add_engine_options(ArgParser& parser) {
  parser.option("tile", 0, "N", "largest tile side in pixels the network sees, overlap included (each tile is shortened as far as the count of tiles allows); 0 = whole image (default: the largest that --memory allows)")
      .option("overlap", 0, "M", "pixels each tile shares with its neighbours (default: the network's, see docs/TILING.md)")
      .option("memory", 0, "SIZE", "memory budget of the job, e.g. 1.5G (default: a quarter of RAM, at most 4G)")
      .flag("ensemble", 0, "average the x8 flips/rotations (x4 flips for dual-pixel models): slower, slightly better")
      .option("precision", 0, "P", "fp32, fp16 (CUDA), bf16 or auto (default auto: fp16 on CUDA; on the CPU bf16 convolutions where a probe finds them faster and the network's PSNR against fp32 on a crop of the photo stays at or above 50 dB, fp32 elsewhere)");
}

JobOptions engine_options(const ParsedArgs& parsed, torch::Device device) {
  JobOptions options;
  options.device = device;
  if (parsed.has("tile")) options.tiling.tile = parsed.int_value("tile", 0, 0, 65536);
  if (parsed.has("overlap")) options.tiling.overlap = parsed.int_value("overlap", 0, 0, 4096);
  if (const auto memory = parsed.optional_value("memory")) options.memory_budget_bytes = parse_memory_size(*memory, "--memory");
  options.ensemble = parsed.has("ensemble");
  options.precision = precision_option(parsed, "auto", device);
  return options;
}

Precision precision_option(const ParsedArgs& parsed, const std::string& fallback, torch::Device device) {
  const std::string precision = parsed.optional_value("precision").value_or(fallback);
  Precision chosen;
  if (precision == "fp32") chosen = Precision::fp32;
  else if (precision == "fp16") chosen = Precision::fp16;
  else if (precision == "bf16") chosen = Precision::bf16;
  else if (precision == "auto") chosen = Precision::automatic;
  else throw Error(ErrorKind::BadUsage, "--precision expects fp32, fp16, bf16 or auto; got '" + precision + "'");
  if (chosen == Precision::fp16 && !device.is_cuda())
    throw Error(ErrorKind::BadUsage, "--precision fp16 needs a CUDA device (use bf16 or fp32 on the CPU)");
  return chosen;
}

ModelRequest checkpoint_request(const ParsedArgs& parsed) {
  ModelRequest request;
  request.weights = parsed.value("weights");
  request.key = parsed.optional_value("key");
  request.task = parsed.optional_value("task");
  if (parsed.has("scale")) request.scale = parsed.int_value("scale", 1, 1, 8);
  request.net_args = net_args(parsed);
  return request;
}

LoadedModel load_chosen_model(const ParsedArgs& parsed) {
  if (parsed.has("model") == parsed.has("weights"))
    throw Error(ErrorKind::BadUsage, "give exactly one of -m MODEL_ID and --weights FILE.pth");
  if (!parsed.has("model")) return load_model(checkpoint_request(parsed));
  if (parsed.has("key") || parsed.has("task") || parsed.has("scale"))
    throw Error(ErrorKind::BadUsage, "--key, --task and --scale describe a --weights file; -m models carry their own");
  return load_registered_model(ModelRegistry::discover().get(parsed.value("model")));
}

void add_compute_options(ArgParser& parser) {
  parser.option("threads", 0, "N", "CPU threads (default: one per core)")
      .flag("exact", 0,
            "direct convolutions only, as LibTorch computes them: slower (default: Winograd for "
            "3x3 convolutions on large maps, differing from it by ~1e-6)");
}

void apply_thread_option(const ParsedArgs& parsed) {
  configure_threads(static_cast<int>(parsed.int_value("threads", 0, 0, 1024)));
}

void apply_convolution_option(const ParsedArgs& parsed, RestorationNetworkImpl& network) {
  ConvPolicy policy;
  if (parsed.has("exact")) policy.algorithm = ConvAlgorithm::exact;
  set_conv_policy(network, policy);
}

std::string describe_convolution_option(const ParsedArgs& parsed) {
  if (parsed.has("exact")) return "direct (--exact)";
  return OnednnConv::compiled_in() ? "Winograd for 3x3 on maps of 64x64 and more, direct elsewhere"
                                   : "LibTorch's (built without oneDNN)";
}

}  // namespace restora::cli
