#pragma once
#include "cli/arg_parser.h"
#include "engine/job.h"
#include "engine/model_loader.h"
#include "nets/restoration_network.h"

namespace restora::cli {

/// --weights, --key, --task, --scale: a checkpoint and what the user says where its shapes cannot
/// tell. Shared by every command that runs a model.
void add_checkpoint_options(ArgParser& parser);

/// The ModelRequest those options describe (requires --weights), with --net-args.
ModelRequest checkpoint_request(const ParsedArgs& parsed);

/// One ModelRequest per --weights, in order (a chain). The per-file hints --key, --task, --scale
/// and --net-arg apply to a single model only: with several --weights they are BadUsage.
std::vector<ModelRequest> checkpoint_requests(const ParsedArgs& parsed);

/// --net-arg NAME=VALUE (repeatable). Part of add_checkpoint_options.
std::vector<std::pair<std::string, std::string>> net_args(const ParsedArgs& parsed);

/// --tile, --overlap, --memory, --ensemble, --precision: how the engine runs a job.
void add_engine_options(ArgParser& parser);

/// The JobOptions those options (and --device) describe.
JobOptions engine_options(const ParsedArgs& parsed, torch::Device device);

/// --precision (fp32, fp16, bf16, auto; `fallback` when absent); fp16 only on CUDA. Throws
/// Error(BadUsage) naming what is wrong.
Precision precision_option(const ParsedArgs& parsed, const std::string& fallback, torch::Device device);

/// The model that -m MODEL_ID (registry: checksum verified) or --weights FILE (detected from the
/// checkpoint, with --key/--task/--scale) names; exactly one of them must be given. The one place
/// where commands turn those options into a loaded model.
LoadedModel load_chosen_model(const ParsedArgs& parsed);

/// --threads N and --exact: how the CPU runs a model. Shared by every command that runs one.
void add_compute_options(ArgParser& parser);

/// Applies --threads to this process. Call before loading a model.
void apply_thread_option(const ParsedArgs& parsed);

/// Applies --exact to the network's convolutions (Winograd where it pays, unless --exact).
void apply_convolution_option(const ParsedArgs& parsed, RestorationNetworkImpl& network);

/// One line for the user: which convolution algorithm runs.
std::string describe_convolution_option(const ParsedArgs& parsed);

}  // namespace restora::cli
