#include "io/png_gray_alpha.h"

#include <png.h>

#include <csetjmp>
#include <stdexcept>
#include <string>

namespace restora {
namespace {

void append(png_structp png, png_bytep data, png_size_t size) {
  auto* out = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + size);
}

void flush(png_structp) {}

[[noreturn]] void on_error(png_structp png, png_const_charp message) {
  *static_cast<std::string*>(png_get_error_ptr(png)) = message;
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

}  // namespace

std::vector<uint8_t> encode_gray_alpha_png(const cv::Mat& gray_alpha) {
  if (gray_alpha.channels() != 2 || (gray_alpha.depth() != CV_8U && gray_alpha.depth() != CV_16U))
    throw std::runtime_error("internal error: a gray+alpha PNG needs 2 channels of 8 or 16 bits");
  std::vector<uint8_t> out;
  std::string error;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error, on_error, on_warning);
  if (png == nullptr) throw std::runtime_error("libpng: out of memory");
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_write_struct(&png, &info);
    throw std::runtime_error("libpng: " + (error.empty() ? std::string("out of memory") : error));
  }
  png_set_write_fn(png, &out, append, flush);
  const int depth = gray_alpha.depth() == CV_16U ? 16 : 8;
  png_set_IHDR(png, info, static_cast<png_uint_32>(gray_alpha.cols), static_cast<png_uint_32>(gray_alpha.rows), depth,
               PNG_COLOR_TYPE_GRAY_ALPHA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  if (depth == 16) png_set_swap(png);  // PNG stores 16-bit samples big-endian; ours are native (little)
  for (int y = 0; y < gray_alpha.rows; ++y) png_write_row(png, const_cast<png_bytep>(gray_alpha.ptr<png_byte>(y)));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace restora
