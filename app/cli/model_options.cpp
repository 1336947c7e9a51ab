#include "cli/model_options.h"

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

}  // namespace restora::cli
