// `restora-cli tiling-study`: the docs/TILING.md measurement (tiled vs whole on noisy photos).
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "cli/model_options.h"
#include "common/error.h"
#include "engine/model_loader.h"
#include "engine/tiling_study.h"
#include "io/image.h"
#include "io/image_file.h"
#include "nets/network_factory.h"
#include "nets/official_configs.h"

#include <torch/utils.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace restora::cli {
namespace {

ArgParser make_parser() {
  ArgParser parser("restora-cli tiling-study (--weights FILE | --network NAME --config TASK) --images DIR [options]",
                   "Adds Gaussian noise to the photos of DIR, restores each whole and tiled with every --tiles x\n"
                   "--overlaps, and prints a Markdown table: PSNR(tiled, whole), PSNR(tiled, clean) - PSNR(whole,\n"
                   "clean) and the largest row/column mean of |tiled - whole| at a tile border over the median.");
  add_checkpoint_options(parser);
  parser.option("network", 0, "NAME", "MPRNet, MIRNet, MIRNet_v2 or HINet (random official-width weights)")
      .option("config", 0, "TASK", "official configuration of --network")
      .option("images", 0, "DIR", "folder of clean photos (PNG/JPEG/...)")
      .option("limit", 0, "N", "at most N photos, in name order (default 3)")
      .option("crop", 0, "S", "centre crop of S x S pixels of each photo (default: whole photo)")
      .option("sigma", 0, "S", "noise sigma in 8-bit levels (default 25)")
      .option("tiles", 0, "LIST", "tile sizes (default 128,256,512,1024)")
      .option("overlaps", 0, "LIST", "overlaps (default 8,16,32,64)");
  add_compute_options(parser);
  return parser;
}

std::vector<int64_t> parse_list(const std::string& text, const std::string& option) {
  std::vector<int64_t> values;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    try {
      size_t used = 0;
      const long long value = std::stoll(item, &used);
      if (used != item.size() || value < 0 || value > 8192) throw std::invalid_argument(item);
      values.push_back(value);
    } catch (const std::exception&) {
      throw Error(ErrorKind::BadUsage, "--" + option + " expects numbers separated by commas; got '" + text + "'");
    }
  }
  if (values.empty()) throw Error(ErrorKind::BadUsage, "--" + option + " is empty");
  return values;
}

std::vector<torch::Tensor> read_photos(const std::filesystem::path& folder, size_t limit, int64_t crop) {
  if (!std::filesystem::is_directory(folder))
    throw Error(ErrorKind::BadUsage, "'" + folder.string() + "': not a folder");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".tif" || ext == ".bmp") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.size() > limit) files.resize(limit);
  if (files.empty()) throw Error(ErrorKind::BadUsage, "'" + folder.string() + "': no photos");
  std::vector<torch::Tensor> photos;
  for (const auto& file : files) {
    torch::Tensor rgb = rgb_tensor(read_image(file));
    if (crop > 0) {
      const int64_t h = std::min(crop, rgb.size(2));
      const int64_t w = std::min(crop, rgb.size(3));
      const int64_t y = (rgb.size(2) - h) / 2;
      const int64_t x = (rgb.size(3) - w) / 2;
      rgb = rgb.slice(2, y, y + h).slice(3, x, x + w).contiguous();
    }
    photos.push_back(rgb);
  }
  return photos;
}

int run_tiling_study(const std::vector<std::string>& args) {
  const ArgParser parser = make_parser();
  const ParsedArgs parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  const bool by_weights = parsed.has("weights");
  if (by_weights == (parsed.has("network") || parsed.has("config")))
    throw Error(ErrorKind::BadUsage, "give either --weights FILE or --network NAME --config TASK");
  apply_thread_option(parsed);
  const auto photos = read_photos(parsed.value("images"), static_cast<size_t>(parsed.int_value("limit", 3, 1, 1000)),
                                  parsed.int_value("crop", 0, 0, 16384));
  JobStage stage;
  std::string label;
  if (by_weights) {
    LoadedModel model = load_model(checkpoint_request(parsed));
    stage = {model.network, model.traits};
    label = model.traits.network + " (" + std::filesystem::path(parsed.value("weights")).filename().string() + ")";
  } else {
    const OfficialConfig& config = require_official_config(parsed.value("network"), parsed.value("config"));
    torch::manual_seed(0);  // the same random weights every run, so that runs compare
    stage = {make_network(config.spec()), {config.network, config.task, 1, false}};
    label = config.network + " " + config.task + " (random official-width weights, seed 0)";
  }
  if (stage.network->input_channels() != 3)
    throw Error(ErrorKind::BadUsage, "the tiling study needs a 3-channel model (dual-pixel models need two views)");
  stage.traits.scale = stage.network->internal_scale();
  apply_convolution_option(parsed, *stage.network);
  const double sigma = std::stod(parsed.optional_value("sigma").value_or("25"));
  const auto rows = study_tiling(stage, photos, sigma, parse_list(parsed.optional_value("tiles").value_or("128,256,512,1024"), "tiles"),
                                 parse_list(parsed.optional_value("overlaps").value_or("8,16,32,64"), "overlaps"));
  std::printf("%s, %zu photo(s) of %s, sigma %.0f\n\n", label.c_str(), photos.size(), parsed.value("images").c_str(), sigma);
  std::printf("| tile | overlap | PSNR(tiled, whole) dB | PSNR change vs clean dB | border/median |\n");
  std::printf("| ---: | ---: | ---: | ---: | ---: |\n");
  for (const auto& row : rows)
    std::printf("| %lld | %lld | %.2f | %+.3f | %.2f |\n", static_cast<long long>(row.tile),
                static_cast<long long>(row.overlap), row.psnr_tiled_vs_whole, row.quality_change, row.border_peak_ratio);
  return 0;
}

const CommandRegistration registration({"tiling-study", "measure tiled vs whole-image restoration (docs/TILING.md)",
                                        run_tiling_study});

}  // namespace
}  // namespace restora::cli
