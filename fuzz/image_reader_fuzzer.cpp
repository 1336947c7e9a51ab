// libFuzzer target: any byte string given to the image reading path (format check, Exiv2 header
// and metadata read, pixel limit, libjpeg/OpenCV decoding, orientation) ends in an Image or in
// restora::Error; anything else (another exception, a crash, a leak, a hang) is a finding.
// Seeds: a few small PNG/JPEG/TIFF/WebP/BMP files, e.g. ../shared/data/Set5/x4/*_LR.png.
#include "common/error.h"
#include "common/log.h"
#include "io/image_file.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    restora::set_log_sink([](restora::LogLevel, const std::string&) {});  // metadata warnings are expected
    return true;
  }();
  (void)quiet;
  restora::ReadOptions options;
  options.max_pixels = 4'000'000;  // keeps each run small; the limit itself is part of what runs
  try {
    const restora::Image image = restora::decode_image(std::vector<uint8_t>(data, data + size), "fuzz", options);
    // Touch every row so that pixels outside what was decoded cannot go unnoticed.
    volatile uint64_t sum = 0;
    for (int y = 0; y < image.pixels.rows; ++y) sum = sum + image.pixels.ptr<uint8_t>(y)[0];
  } catch (const restora::Error&) {
  }
  return 0;
}
