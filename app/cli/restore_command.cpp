// `restora-cli restore`: one image through a model or a chain of models, tiled.
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "cli/file_options.h"
#include "cli/model_options.h"
#include "cli/progress.h"
#include "common/error.h"
#include "engine/job.h"
#include "engine/model_loader.h"
#include "io/image_file.h"
#include "runtime/devices.h"

#include <torch/types.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

namespace restora::cli {
namespace {

ArgParser make_parser() {
  ArgParser parser("restora-cli restore -i IN -o OUT (-m MODEL_ID | --weights FILE.pth [--weights FILE2.pth ...]) [options]",
                   "Restore one image with a model, or a chain of models (several --weights, run in order:\n"
                   "e.g. a denoiser, then an x4 SR model). --weights detects the network and its configuration\n"
                   "from the checkpoint itself. The image runs in tiles that fit the memory budget, blended\n"
                   "without seams. The output keeps the input's bit depth (8/16-bit, where the output format\n"
                   "can hold it), alpha channel and gray/colour layout.");
  parser.option("input", 'i', "IN", "image to restore (PNG, JPEG, TIFF, WebP, BMP; 8 or 16 bit)")
      .option("output", 'o', "OUT", "where to write the result (its extension picks the format)")
      .option("model", 'm', "MODEL_ID", "a bundled or user model (see 'restora-cli models')");
  add_checkpoint_options(parser);
  parser.option("dp-right", 0, "FILE", "right dual-pixel view, for defocus-deblurring models")
      .option("ref", 0, "FILE", "reference photo, for reference-based super-resolution models (SSEN): a sharp photo of the same subject")
      .option("device", 0, "DEV", "cpu, cuda or cuda:N (default cpu)");
  add_engine_options(parser);
  add_compute_options(parser);
  add_file_options(parser);
  return parser;
}

std::string describe_chain(const std::vector<LoadedModel>& models) {
  std::string text;
  for (const auto& model : models) {
    if (!text.empty()) text += " + ";
    text += model.traits.network + (model.traits.task.empty() ? "" : " " + model.traits.task);
  }
  return text;
}

void check_output_path(const std::filesystem::path& input, const std::filesystem::path& output) {
  if (!is_writable_image_format(output))
    throw Error(ErrorKind::BadUsage, "'" + output.string() + "': unsupported output format (use .png, .jpg, .tif, .webp or .bmp)");
  std::error_code error;
  if (std::filesystem::equivalent(input, output, error))
    throw Error(ErrorKind::BadUsage, "the output would overwrite the input '" + input.string() + "'");
  const auto folder = output.has_parent_path() ? output.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(folder, error))
    throw Error(ErrorKind::BadUsage, "'" + output.string() + "': the output folder does not exist");
}

int run_restore(const std::vector<std::string>& args) {
  const ArgParser parser = make_parser();
  const ParsedArgs parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  const std::filesystem::path input_path = parsed.value("input");
  const std::filesystem::path output_path = parsed.value("output");
  if (parsed.has("model") == parsed.has("weights"))
    throw Error(ErrorKind::BadUsage, "give exactly one of -m MODEL_ID and --weights FILE.pth");
  apply_thread_option(parsed);
  const torch::Device device(normalise_device_name(parsed.optional_value("device").value_or("cpu")));
  const JobOptions options = engine_options(parsed, device);
  check_output_path(input_path, output_path);
  const std::vector<ModelRequest> requests = parsed.has("model") ? std::vector<ModelRequest>{} : checkpoint_requests(parsed);

  // Read the images first: a bad input should not wait for a large model to load.
  const ReadOptions reading = read_options(parsed);
  JobInput input;
  input.image = read_image(input_path, reading);
  if (const auto right_path = parsed.optional_value("dp-right")) input.right_view = read_image(*right_path, reading);
  const std::optional<std::string> reference_path = parsed.optional_value("ref");
  if (reference_path) input.reference = read_image(*reference_path, reading);
  input.output_path = output_path;
  input.write_options = write_options(parsed);

  std::vector<LoadedModel> models;
  std::vector<JobStage> chain;
  if (parsed.has("model")) {
    models.push_back(load_chosen_model(parsed));
    apply_convolution_option(parsed, *models.back().network);
    for (const auto& note : models.back().notes) std::cerr << "restora-cli: note: " << note << '\n';
    chain.push_back({models.back().network, models.back().traits});
  }
  for (const auto& request : requests) {
    models.push_back(load_model(request));
    LoadedModel& model = models.back();
    apply_convolution_option(parsed, *model.network);
    for (const auto& note : model.notes)
      std::cerr << "restora-cli: note: " << (requests.size() > 1 ? request.weights.filename().string() + ": " : "") << note << '\n';
    chain.push_back({model.network, model.traits});
  }

  if (reference_path && std::none_of(chain.begin(), chain.end(), [](const JobStage& s) { return s.network->takes_reference(); }))
    throw Error(ErrorKind::BadUsage, "'" + *reference_path + "': a reference photo is only for reference-based SR models (SSEN); " +
                                         describe_chain(models) + " takes none");

  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar("restoring");
  JobCallbacks callbacks;
  callbacks.on_progress = [&bar](const JobProgress& progress) {
    char detail[96];
    std::snprintf(detail, sizeof detail, "%stile %lld/%lld (%lld px), %.3f MP/s",
                  progress.stages > 1 ? ("model " + std::to_string(progress.stage + 1) + "/" + std::to_string(progress.stages) + ", ").c_str() : "",
                  static_cast<long long>(progress.tiles_done), static_cast<long long>(progress.tiles_total),
                  static_cast<long long>(progress.tile_size), progress.megapixels_per_second);
    bar.update(progress.fraction, detail, progress.eta_seconds);
  };
  const JobResult result = run_job(input, chain, options, callbacks);
  if (!result.finished()) {
    const bool about_reference = reference_path && result.message.rfind("the reference", 0) == 0;
    throw Error(result.error_kind, "'" + (about_reference ? *reference_path : input_path.string()) + "': " + result.message);
  }
  bar.finish();
  for (const auto& note : result.notes) std::cerr << "restora-cli: note: " << note << '\n';
  for (const auto& line : result.precision) std::cerr << "restora-cli: precision: " << line << '\n';
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s -> %s: %s, %lldx%lld, %.2f s\n", input_path.string().c_str(), output_path.string().c_str(),
              describe_chain(models).c_str(), static_cast<long long>(result.image.width()),
              static_cast<long long>(result.image.height()), seconds);
  return 0;
}

const CommandRegistration registration({"restore", "restore one image with a model", run_restore});

}  // namespace
}  // namespace restora::cli
