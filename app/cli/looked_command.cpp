// `restora-cli where-it-looked`: draws where a reference-based SR model (SSEN) sampled the reference
// for a few output pixels (the 9^3 points of the paper's Fig. 7), beside the input.
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "cli/model_options.h"
#include "common/error.h"
#include "io/image.h"
#include "io/image_file.h"
#include "nets/ssen_where_it_looked.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace restora::cli {
namespace {

/// The alignment runs on a window of the input around each pixel, as a tile would: the
/// non-local attention is quadratic in the window's area.
constexpr int64_t kWindow = 64;

struct Pixel {
  int64_t x = 0, y = 0;
};

Pixel parse_pixel(const std::string& text, int64_t width, int64_t height) {
  int x = -1, y = -1;
  char rest = 0;
  if (std::sscanf(text.c_str(), "%d,%d%c", &x, &y, &rest) != 2)
    throw Error(ErrorKind::BadUsage, "--pixel '" + text + "': expected X,Y (output pixels)");
  if (x < 0 || y < 0 || x >= width || y >= height)
    throw Error(ErrorKind::BadUsage, "--pixel '" + text + "' lies outside the " + std::to_string(width) + "x" +
                                         std::to_string(height) + " output");
  return {x, y};
}

torch::Tensor resized(const torch::Tensor& image, int64_t height, int64_t width) {
  namespace F = torch::nn::functional;
  return F::interpolate(image, F::InterpolateFuncOptions()
                                   .size(std::vector<int64_t>{height, width})
                                   .mode(torch::kBicubic)
                                   .align_corners(false))
      .clamp(0, 1);
}

/// One colour per pixel, in the R, G, B order of Image.
const cv::Scalar kColours[] = {{255, 215, 0}, {0, 128, 255}, {60, 220, 60}, {255, 60, 200}, {255, 40, 40}, {0, 255, 255}};

int run_looked(const std::vector<std::string>& args) {
  ArgParser parser(
      "restora-cli where-it-looked -i IN --pixel X,Y [--pixel X,Y ...] -o OUT.png (-m MODEL_ID | --weights FILE.pth) [--ref REF]",
      "Draws where a reference-based SR model (SSEN) looked in the reference for each output pixel: the\n"
      "9 x 9 x 9 sampling points of its three stacked deformable layers (the paper's Fig. 7), brighter where\n"
      "their modulation weight is higher, with the 9 points of the last layer ringed. Left: the input\n"
      "upscaled bicubically with the pixels marked; right: the reference as the model saw it (resized to\n"
      "the output's size; without --ref, the input itself: self-similarity). Prints each pixel's weighted\n"
      "centre of attention and how far it lies from the pixel.");
  parser.option("input", 'i', "IN", "the low-resolution photo")
      .option("ref", 0, "REF", "reference photo (default: self-similarity)")
      .option("pixel", 0, "X,Y", "an output pixel (repeatable)")
      .option("output", 'o', "OUT.png", "where to write the drawing")
      .option("model", 'm', "MODEL_ID", "a bundled or user model (see 'restora-cli models')");
  add_checkpoint_options(parser);
  add_compute_options(parser);
  const ParsedArgs parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  for (const char* required : {"input", "output", "pixel"})
    if (!parsed.has(required)) throw Error(ErrorKind::BadUsage, std::string("--") + required + " is required");
  apply_thread_option(parsed);
  const LoadedModel model = load_chosen_model(parsed);
  auto* ssen = dynamic_cast<SsenImpl*>(model.network.get());
  if (ssen == nullptr)
    throw Error(ErrorKind::BadUsage, "where-it-looked is for reference-based SR models (SSEN); " + model.traits.network +
                                         " samples no reference");
  ssen->eval();
  const int64_t s = ssen->scale();
  const torch::Tensor lr = rgb_tensor(read_image(parsed.value("input")));
  const int64_t h = lr.size(2), w = lr.size(3);
  const torch::Tensor reference =
      resized(parsed.has("ref") ? rgb_tensor(read_image(parsed.value("ref"))) : lr, h * s, w * s);
  const torch::Tensor upscaled = resized(lr, h * s, w * s);

  cv::Mat left = image_from_rgb_tensor(upscaled, 8).pixels, right = image_from_rgb_tensor(reference, 8).pixels;
  cv::Mat dots = cv::Mat::zeros(right.size(), CV_32FC3);  // every point, added onto the reference at the end
  const auto values = parsed.values("pixel");
  for (size_t i = 0; i < values.size(); ++i) {
    const Pixel p = parse_pixel(values[i], w * s, h * s);
    const cv::Scalar colour = kColours[i % std::size(kColours)];
    // The LR window around the pixel, inside the photo.
    const int64_t wh = std::min(kWindow, h), ww = std::min(kWindow, w);
    const int64_t top = std::clamp(p.y / s - wh / 2, int64_t{0}, h - wh);
    const int64_t lft = std::clamp(p.x / s - ww / 2, int64_t{0}, w - ww);
    const auto lr_window = lr.narrow(2, top, wh).narrow(3, lft, ww);
    const auto ref_window = reference.narrow(2, top * s, wh * s).narrow(3, lft * s, ww * s);
    const SamplingTree tree = where_it_looked(*ssen, lr_window, ref_window, p.y - top * s, p.x - lft * s);

    const auto positions = tree.positions[2].reshape({-1, 2}).contiguous();
    const auto weights = tree.weights[2].reshape({-1}).contiguous();
    const double total = weights.sum().item<double>();
    const double peak = std::max(weights.max().item<double>(), 1e-12);
    const auto pos = positions.accessor<float, 2>();
    const auto wt = weights.accessor<float, 1>();
    double cy = 0, cx = 0;
    for (int64_t k = 0; k < positions.size(0); ++k) {
      const double y = pos[k][0] + static_cast<double>(top * s), x = pos[k][1] + static_cast<double>(lft * s);
      cy += wt[k] * y;
      cx += wt[k] * x;
      const int iy = static_cast<int>(std::lround(y)), ix = static_cast<int>(std::lround(x));
      if (wt[k] <= 0 || iy < 0 || ix < 0 || iy >= dots.rows || ix >= dots.cols) continue;
      const double strength = 0.25 + 0.75 * wt[k] / peak;
      cv::circle(dots, {ix, iy}, 1, colour * (strength / 255.0 * 0.6), cv::FILLED, cv::LINE_AA);
    }
    const auto last_positions = tree.positions[0].reshape({-1, 2}).contiguous();
    const auto last = last_positions.accessor<float, 2>();
    for (int64_t k = 0; k < last_positions.size(0); ++k) {
      const cv::Point2d at(last[k][1] + static_cast<double>(lft * s), last[k][0] + static_cast<double>(top * s));
      cv::circle(right, at, 4, colour, 1, cv::LINE_AA);
    }
    cv::drawMarker(left, cv::Point(static_cast<int>(p.x), static_cast<int>(p.y)), colour, cv::MARKER_CROSS, 15, 2);
    cv::drawMarker(right, cv::Point(static_cast<int>(p.x), static_cast<int>(p.y)), colour, cv::MARKER_CROSS, 9, 1);
    if (total > 0) {
      cy /= total;
      cx /= total;
    }
    std::printf("pixel (%lld, %lld): 729 points x %lld groups, weight %.3g; weighted centre (%.1f, %.1f), %.1f px away\n",
                static_cast<long long>(p.x), static_cast<long long>(p.y),
                static_cast<long long>(tree.positions[2].size(0)), total, cx, cy,
                std::hypot(cx - static_cast<double>(p.x), cy - static_cast<double>(p.y)));
  }
  cv::Mat glow;
  dots.convertTo(glow, CV_8UC3, 255.0);
  cv::add(right, glow, right);
  Image sheet;
  sheet.pixels = cv::Mat(left.rows, left.cols * 2 + 8, CV_8UC3, cv::Scalar(40, 40, 40));
  left.copyTo(sheet.pixels(cv::Rect(0, 0, left.cols, left.rows)));
  right.copyTo(sheet.pixels(cv::Rect(left.cols + 8, 0, right.cols, right.rows)));
  const std::string out = parsed.value("output");
  write_image(out, sheet);
  std::printf("wrote %s (%lldx%lld)\n", out.c_str(), static_cast<long long>(sheet.width()),
              static_cast<long long>(sheet.height()));
  return 0;
}

const CommandRegistration registration(
    {"where-it-looked", "draw where a reference-based SR model looked in the reference", run_looked});

}  // namespace
}  // namespace restora::cli
