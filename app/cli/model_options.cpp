#include "cli/model_options.h"

#include "common/error.h"
#include "models/model_registry.h"
#include "nets/blocks/fast_conv2d.h"
#include "runtime/threads.h"

namespace restora::cli {

void add_checkpoint_options(ArgParser& parser) {
  parser.option("weights", 0, "FILE.pth", "an official or Restora checkpoint (network and configuration detected from it)")
      .option("key", 0, "K", "checkpoint entry holding the weights (params, params_ema, state_dict, ...)")
      .option("task", 0, "T", "official task of the checkpoint where its shapes cannot tell (see inspect)")
      .option("scale", 0, "N", "super-resolution factor where the checkpoint cannot tell (2, 3, 4)");
}

ModelRequest checkpoint_request(const ParsedArgs& parsed) {
  ModelRequest request;
  request.weights = parsed.value("weights");
  request.key = parsed.optional_value("key");
  request.task = parsed.optional_value("task");
  if (parsed.has("scale")) request.scale = parsed.int_value("scale", 1, 1, 8);
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
