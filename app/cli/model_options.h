#pragma once
#include "cli/arg_parser.h"
#include "engine/model_loader.h"

namespace restora::cli {

/// --weights, --key, --task, --scale: a checkpoint and what the user says where its shapes cannot
/// tell. Shared by every command that runs a model.
void add_checkpoint_options(ArgParser& parser);

/// The ModelRequest those options describe (requires --weights).
ModelRequest checkpoint_request(const ParsedArgs& parsed);

}  // namespace restora::cli
