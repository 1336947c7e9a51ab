// `restora-cli restore`: one image through one model.
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "cli/model_options.h"
#include "cli/progress.h"
#include "common/error.h"
#include "engine/model_loader.h"
#include "io/image.h"
#include "runtime/devices.h"

#include <torch/types.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace restora::cli {
namespace {

ArgParser make_parser() {
  ArgParser parser("restora-cli restore -i IN -o OUT (-m MODEL_ID | --weights FILE.pth) [options]",
                   "Restore one image with a model. --weights detects the network and its configuration\n"
                   "from the checkpoint itself. The output keeps the input's bit depth (8/16-bit, where\n"
                   "the output format can hold it), alpha channel and gray/colour layout.");
  parser.option("input", 'i', "IN", "image to restore (PNG, JPEG, TIFF, WebP, BMP; 8 or 16 bit)")
      .option("output", 'o', "OUT", "where to write the result (its extension picks the format)")
      .option("model", 'm', "MODEL_ID", "a bundled or user model (see 'restora-cli models')");
  add_checkpoint_options(parser);
  parser.option("dp-right", 0, "FILE", "right dual-pixel view, for defocus-deblurring models")
      .option("tile", 0, "N", "tile size in pixels; 0 runs the whole image at once (default 0)")
      .option("device", 0, "DEV", "cpu, cuda or cuda:N (default cpu)");
  add_compute_options(parser);
  return parser;
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
  if (parsed.int_value("tile", 0, 0, 65536) != 0)
    throw Error(ErrorKind::BadUsage, "tiled inference is not available yet: use --tile 0 (whole image)");
  apply_thread_option(parsed);
  const torch::Device device(normalise_device_name(parsed.optional_value("device").value_or("cpu")));
  check_output_path(input_path, output_path);

  // Read the images first: a bad input should not wait for a large model to load.
  Image image = read_image(input_path);
  torch::Tensor right_view;
  if (const auto right_path = parsed.optional_value("dp-right")) right_view = read_image(*right_path).rgb;

  LoadedModel model = load_chosen_model(parsed);
  apply_convolution_option(parsed, *model.network);
  for (const auto& note : model.notes) std::cerr << "restora-cli: note: " << note << '\n';
  Restorer restorer(model.network, model.traits, device);

  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar("restoring");
  image = restore_image(restorer, image, right_view, [&](double f) { bar.update(f); });
  bar.finish();
  write_image(output_path, image);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s -> %s: %s%s, %lldx%lld, %.2f s\n", input_path.string().c_str(), output_path.string().c_str(),
              model.traits.network.c_str(), model.traits.task.empty() ? "" : (" " + model.traits.task).c_str(),
              static_cast<long long>(image.rgb.size(3)), static_cast<long long>(image.rgb.size(2)), seconds);
  return 0;
}

const CommandRegistration registration({"restore", "restore one image with a model", run_restore});

}  // namespace
}  // namespace restora::cli
