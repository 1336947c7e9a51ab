// libFuzzer target: any byte string given to the gray+alpha TIFF decoder (libtiff through our
// memory stream, tile and strip scattering, alpha conversion) ends in a Mat or in
// std::runtime_error; a Mat it returns survives our encoder and decoder unchanged. Small and
// quick to build alone; image_reader_fuzzer covers the whole path.
// Seeds: the TIFFs that tiff_gray_alpha_test writes, and tests/app/data/gray_alpha.tif.
#include "io/tiff_gray_alpha.h"

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  if (restora::tiff_samples_per_pixel(bytes) != 2) return 0;
  cv::Mat pixels;
  try {
    pixels = restora::decode_gray_alpha_tiff(bytes);
  } catch (const std::runtime_error&) {
    return 0;
  }
  // Outside the try: the encoder must take every image the decoder gives (a throw aborts).
  const cv::Mat again = restora::decode_gray_alpha_tiff(restora::encode_gray_alpha_tiff(pixels));
  if (again.type() != pixels.type() || again.size() != pixels.size() || cv::norm(again, pixels, cv::NORM_INF) != 0)
    __builtin_trap();  // the round trip changed the pixels
  return 0;
}
