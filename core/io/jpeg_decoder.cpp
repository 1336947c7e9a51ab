#include "io/jpeg_decoder.h"

#include <csetjmp>
#include <cstdio>
#include <stdexcept>

// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

namespace restora {
namespace {

struct ErrorManager {
  jpeg_error_mgr base;  // first member: libjpeg hands us a pointer to it
  std::jmp_buf jump;
  std::string message;
  std::vector<std::string>* warnings = nullptr;
};

std::string format_message(j_common_ptr info) {
  char text[JMSG_LENGTH_MAX] = {};
  (*info->err->format_message)(info, text);
  return text;
}

[[noreturn]] void on_error(j_common_ptr info) {
  auto* manager = reinterpret_cast<ErrorManager*>(info->err);
  manager->message = format_message(info);
  std::longjmp(manager->jump, 1);
}

void on_message(j_common_ptr info, int level) {
  if (level >= 0) return;  // trace messages
  auto* manager = reinterpret_cast<ErrorManager*>(info->err);
  if (info->err->msg_code == JWRN_EXTRANEOUS_DATA) {
    manager->warnings->push_back(format_message(info));
    return;
  }
  manager->message = format_message(info);
  std::longjmp(manager->jump, 1);
}

/// CMYK samples -> RGB. Adobe applications store the inks inverted (0 = full ink).
void cmyk_to_rgb(const JSAMPLE* cmyk, uint8_t* rgb, JDIMENSION width, bool inverted) {
  for (JDIMENSION x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
    const int k = inverted ? cmyk[3] : 255 - cmyk[3];
    for (int c = 0; c < 3; ++c) {
      const int ink_free = inverted ? cmyk[c] : 255 - cmyk[c];
      rgb[c] = static_cast<uint8_t>((ink_free * k + 127) / 255);
    }
  }
}

}  // namespace

cv::Mat decode_jpeg(const std::vector<uint8_t>& file, int64_t max_pixels, std::vector<std::string>& warnings) {
  jpeg_decompress_struct info{};
  ErrorManager errors;
  info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = on_error;
  errors.base.emit_message = on_message;
  errors.warnings = &warnings;
  cv::Mat pixels;  // declared before setjmp: no object with a destructor is created between setjmp and longjmp
  std::vector<JSAMPLE> row;
  if (setjmp(errors.jump) != 0) {
    jpeg_destroy_decompress(&info);
    throw std::runtime_error(errors.message);
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, file.data(), static_cast<unsigned long>(file.size()));
  jpeg_read_header(&info, TRUE);
  if (static_cast<int64_t>(info.image_width) * info.image_height > max_pixels) {
    errors.message = std::to_string(info.image_width) + "x" + std::to_string(info.image_height) +
                     " pixels is over the limit of " + std::to_string(max_pixels) + " (--max-pixels)";
    jpeg_destroy_decompress(&info);
    throw std::runtime_error(errors.message);
  }
  const bool cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
  const bool gray = info.jpeg_color_space == JCS_GRAYSCALE;
  info.out_color_space = cmyk ? JCS_CMYK : gray ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&info);
  const int channels = gray ? 1 : 3;
  pixels.create(static_cast<int>(info.output_height), static_cast<int>(info.output_width), CV_8UC(channels));
  row.resize(static_cast<size_t>(info.output_width) * info.output_components);
  while (info.output_scanline < info.output_height) {
    const int y = static_cast<int>(info.output_scanline);
    JSAMPROW target = cmyk ? row.data() : pixels.ptr<JSAMPLE>(y);
    jpeg_read_scanlines(&info, &target, 1);
    if (cmyk) cmyk_to_rgb(row.data(), pixels.ptr<uint8_t>(y), info.output_width, info.saw_Adobe_marker != 0);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return pixels;
}

}  // namespace restora
