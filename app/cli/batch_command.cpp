// `restora-cli batch`: a folder of photos through one model.
#include "batch/batch_plan.h"
#include "batch/batch_restore.h"
#include "batch/batch_runner.h"
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "cli/file_options.h"
#include "cli/model_options.h"
#include "cli/progress.h"
#include "common/error.h"
#include "engine/model_loader.h"
#include "runtime/devices.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace restora::cli {
namespace {

ArgParser make_parser() {
  ArgParser parser(
      "restora-cli batch -i DIR -o DIR [-r] (-m MODEL_ID | --weights FILE.pth) [--name PATTERN] [--overwrite skip|rename|replace]\n"
      "                  [--format png|jpg|tif|webp] [--quality Q] [--shard K/N] [options]",
      "Restore every image of a folder (PNG, JPEG, TIFF, WebP, BMP by extension; their content decides) into\n"
      "another folder with the same tree. A bad file is logged and the batch goes on; hidden files,\n"
      "Thumbs.db, .DS_Store and other files are skipped. Each output is written atomically; with\n"
      "--overwrite skip (default) a stopped batch started again does only what is left. The log\n"
      "restora-batch.csv (restora-batch-K-of-N.csv with --shard) in the output folder gets one line per\n"
      "file. Exit 0 when every image succeeded, 1 when some failed, 2 for bad usage.");
  parser.option("input", 'i', "DIR", "folder of images")
      .option("output", 'o', "DIR", "output folder (created; may lie inside the input folder, which then skips it)")
      .flag("recursive", 'r', "walk sub-folders too, mirroring them in the output")
      .option("model", 'm', "MODEL_ID", "a bundled or user model (see 'restora-cli models')");
  add_checkpoint_options(parser);
  parser.option("name", 0, "PATTERN", "output file name: {name} {model} {scale} {ext} (default {name}.{ext})")
      .option("overwrite", 0, "POLICY", "skip (default), rename or replace an existing output; inputs never")
      .option("format", 0, "EXT", "png, jpg, tif or webp (default: the input's own; BMP becomes PNG)")
      .option("shard", 0, "K/N", "do only shard K of N (files i with i mod N = K-1, by byte-sorted path)")
      .option("device", 0, "DEV", "cpu, cuda or cuda:N (default cpu)")
      .flag("no-pipeline", 0, "decode, restore and encode one after the other (to measure what the pipeline gains)");
  add_engine_options(parser);
  add_compute_options(parser);
  add_file_options(parser);
  return parser;
}

std::atomic<bool> cancel_requested{false};
extern "C" void on_interrupt(int) { cancel_requested.store(true); }

BatchOptions batch_options(const ParsedArgs& parsed) {
  BatchOptions options;
  options.input_dir = parsed.value("input");
  options.output_dir = parsed.value("output");
  options.recursive = parsed.has("recursive");
  if (const auto name = parsed.optional_value("name")) options.name_pattern = *name;
  if (const auto format = parsed.optional_value("format")) options.format = *format;
  if (const auto policy = parsed.optional_value("overwrite")) options.overwrite = parse_overwrite_policy(*policy);
  if (const auto shard = parsed.optional_value("shard")) options.shard = parse_shard(*shard);
  return options;
}

int run_batch_command(const std::vector<std::string>& args) {
  const ArgParser parser = make_parser();
  const ParsedArgs parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  BatchOptions options = batch_options(parsed);
  if (parsed.has("model") == parsed.has("weights"))
    throw Error(ErrorKind::BadUsage, "give exactly one of -m MODEL_ID and --weights FILE.pth");
  const BatchRunOptions run_options{read_options(parsed), write_options(parsed), !parsed.has("no-pipeline")};
  apply_thread_option(parsed);
  const torch::Device device(normalise_device_name(parsed.optional_value("device").value_or("cpu")));
  const JobOptions engine = engine_options(parsed, device);
  plan_batch(options);  // bad folders, pattern or format are reported before a model loads

  LoadedModel model = load_chosen_model(parsed);
  apply_convolution_option(parsed, *model.network);
  for (const auto& note : model.notes) std::cerr << "restora-cli: note: " << note << '\n';
  if (model.traits.dual_pixel)
    throw Error(ErrorKind::BadUsage, "a dual-pixel defocus model needs a right view per image: use restore --dp-right");
  options.model_name = model.traits.network;
  options.scale = model.traits.scale;
  const BatchPlan plan = plan_batch(options);

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  ProgressBar bar("batch");
  const bool on_terminal = ::isatty(STDERR_FILENO) == 1;
  BatchCallbacks callbacks;
  callbacks.on_file = [&](const BatchFileResult& result, size_t done, size_t total) {
    // On a terminal the line replaces the progress bar (erased to its end); in a log it is just a line.
    if (result.status == "failed")
      std::fprintf(stderr, "%srestora-cli: failed: %s%s\n", on_terminal ? "\r" : "", result.reason.c_str(),
                   on_terminal ? "\033[K" : "");
    bar.update(total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total));
  };
  const BatchSummary summary =
      run_batch(options, plan, run_options, batch_restorer({JobStage{model.network, model.traits}}, engine), callbacks, &cancel_requested);
  bar.finish();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::printf("%zu restored, %zu failed, %zu skipped, %zu already done%s; log: %s\n", summary.ok, summary.failed,
              summary.skipped, summary.already_done, summary.cancelled ? " (cancelled)" : "",
              summary.log.string().c_str());
  return summary.failed > 0 || summary.cancelled ? 1 : 0;
}

const CommandRegistration registration({"batch", "restore every image of a folder", run_batch_command});

}  // namespace
}  // namespace restora::cli
