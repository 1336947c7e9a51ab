#include "io/tiff_gray_alpha.h"

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace restora {
namespace {

/// A file in memory for libtiff: read-only over a decoder's bytes, or growing as the encoder
/// writes (libtiff may read back while it writes).
struct MemoryStream {
  const std::vector<uint8_t>* bytes;
  std::vector<uint8_t>* growing = nullptr;  ///< the same vector, when writable
  toff_t position = 0;
};

tmsize_t read_proc(thandle_t handle, void* out, tmsize_t size) {
  auto& s = *static_cast<MemoryStream*>(handle);
  if (size <= 0 || s.position >= s.bytes->size()) return 0;
  const auto n = std::min<toff_t>(static_cast<toff_t>(size), s.bytes->size() - s.position);
  std::memcpy(out, s.bytes->data() + s.position, n);
  s.position += n;
  return static_cast<tmsize_t>(n);
}
tmsize_t write_proc(thandle_t handle, void* data, tmsize_t size) {
  auto& s = *static_cast<MemoryStream*>(handle);
  if (s.growing == nullptr || size < 0) return -1;
  const toff_t end = s.position + static_cast<toff_t>(size);
  if (end > s.growing->size()) s.growing->resize(end);
  if (size > 0) std::memcpy(s.growing->data() + s.position, data, static_cast<size_t>(size));
  s.position = end;
  return size;
}
toff_t seek_proc(thandle_t handle, toff_t offset, int whence) {
  auto& s = *static_cast<MemoryStream*>(handle);
  const toff_t base = whence == SEEK_CUR ? s.position : whence == SEEK_END ? s.bytes->size() : 0;
  s.position = base + offset;
  return s.position;
}
int close_proc(thandle_t) { return 0; }
toff_t size_proc(thandle_t handle) { return static_cast<MemoryStream*>(handle)->bytes->size(); }
int map_proc(thandle_t, void**, toff_t*) { return 0; }  // no mapping: reads go through read_proc
void unmap_proc(thandle_t, void*, toff_t) {}

/// Keeps libtiff's first error of this file instead of letting it print to stderr.
int on_error(TIFF*, void* user_data, const char* module, const char* format, va_list args) {
  auto& message = *static_cast<std::string*>(user_data);
  if (message.empty()) {
    char text[512];
    std::vsnprintf(text, sizeof text, format, args);
    message = std::string(module ? module : "libtiff") + ": " + text;
  }
  return 1;
}
int on_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }  // unknown tags and the like

struct TiffCloser {
  void operator()(TIFF* tiff) const { TIFFClose(tiff); }
};

/// Copies a decoded block (a scanline or a tile, `samples` interleaved samples per pixel) into
/// channels [first, first + samples) of `out` at (x, y), clipped to the image.
template <typename T>
void scatter(const uint8_t* block, int block_w, int block_h, int samples, int first, int x, int y, cv::Mat& out) {
  const int w = std::min(block_w, out.cols - x), h = std::min(block_h, out.rows - y);
  for (int r = 0; r < h; ++r) {
    const T* src = reinterpret_cast<const T*>(block) + static_cast<size_t>(r) * block_w * samples;
    T* dst = out.ptr<T>(y + r) + static_cast<size_t>(x) * 2 + first;
    for (int c = 0; c < w; ++c)
      for (int s = 0; s < samples; ++s) dst[c * 2 + s] = src[c * samples + s];
  }
}

template <typename T>
void to_straight_alpha(cv::Mat& pixels, bool premultiplied, bool min_is_white) {
  const double max = std::is_same<T, uint8_t>::value ? 255.0 : 65535.0;
  for (int y = 0; y < pixels.rows; ++y) {
    T* p = pixels.ptr<T>(y);
    for (int x = 0; x < pixels.cols; ++x) {
      double gray = p[2 * x];
      if (min_is_white) gray = max - gray;
      if (premultiplied) gray = p[2 * x + 1] == 0 ? 0 : std::min(max, gray * max / p[2 * x + 1] + 0.5);
      p[2 * x] = static_cast<T>(gray);
    }
  }
}

using OpenOptions = std::unique_ptr<TIFFOpenOptions, void (*)(TIFFOpenOptions*)>;

/// libtiff's messages go to `error`, never to stderr.
OpenOptions quiet_options(std::string& error) {
  OpenOptions options(TIFFOpenOptionsAlloc(), TIFFOpenOptionsFree);
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), on_error, &error);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), on_warning, nullptr);
  return options;
}

/// Opens the bytes with libtiff for reading.
std::unique_ptr<TIFF, TiffCloser> open_tiff(MemoryStream& stream, std::string& error) {
  const OpenOptions options = quiet_options(error);
  return std::unique_ptr<TIFF, TiffCloser>(TIFFClientOpenExt("tiff", "r", &stream, read_proc, write_proc, seek_proc,
                                                             close_proc, size_proc, map_proc, unmap_proc,
                                                             options.get()));
}

}  // namespace

int tiff_samples_per_pixel(const std::vector<uint8_t>& bytes) {
  MemoryStream stream{&bytes};
  std::string error;
  const auto tiff = open_tiff(stream, error);
  uint16_t samples = 0;
  if (!tiff || TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_SAMPLESPERPIXEL, &samples) != 1) return 0;
  return samples;
}

cv::Mat decode_gray_alpha_tiff(const std::vector<uint8_t>& bytes) {
  MemoryStream stream{&bytes};
  std::string error;
  const auto tiff = open_tiff(stream, error);
  const auto fail = [&](const std::string& what) {
    throw std::runtime_error(error.empty() ? what : what + " (" + error + ")");
  };
  if (!tiff) fail("not a readable TIFF");
  uint32_t width = 0, height = 0;
  uint16_t bits = 0, samples = 0, photometric = PHOTOMETRIC_MINISBLACK, planar = PLANARCONFIG_CONTIG;
  uint16_t sample_format = SAMPLEFORMAT_UINT;
  TIFFGetField(tiff.get(), TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(tiff.get(), TIFFTAG_IMAGELENGTH, &height);
  TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_SAMPLEFORMAT, &sample_format);
  TIFFGetField(tiff.get(), TIFFTAG_PHOTOMETRIC, &photometric);
  uint16_t extra_count = 0;
  uint16_t* extra = nullptr;
  const bool premultiplied = TIFFGetField(tiff.get(), TIFFTAG_EXTRASAMPLES, &extra_count, &extra) == 1 &&
                             extra_count == 1 && extra[0] == EXTRASAMPLE_ASSOCALPHA;
  if (samples != 2) fail(std::to_string(samples) + " samples per pixel, not gray+alpha");
  if ((bits != 8 && bits != 16) || sample_format != SAMPLEFORMAT_UINT)
    fail("gray+alpha with " + std::to_string(bits) + "-bit samples (only 8- and 16-bit integers)");
  if (photometric != PHOTOMETRIC_MINISBLACK && photometric != PHOTOMETRIC_MINISWHITE)
    fail("gray+alpha with photometric interpretation " + std::to_string(photometric));
  if (width == 0 || height == 0 || width > (1u << 30) / height) fail("bad image size");

  cv::Mat pixels(static_cast<int>(height), static_cast<int>(width), bits == 8 ? CV_8UC2 : CV_16UC2);
  const bool separate = planar == PLANARCONFIG_SEPARATE;
  const int per_block = separate ? 1 : 2;
  const auto place = [&](const std::vector<uint8_t>& block, int w, int h, int first, int x, int y) {
    if (bits == 8) scatter<uint8_t>(block.data(), w, h, per_block, first, x, y, pixels);
    else scatter<uint16_t>(block.data(), w, h, per_block, first, x, y, pixels);
  };
  if (TIFFIsTiled(tiff.get())) {
    uint32_t tile_w = 0, tile_h = 0;
    TIFFGetField(tiff.get(), TIFFTAG_TILEWIDTH, &tile_w);
    TIFFGetField(tiff.get(), TIFFTAG_TILELENGTH, &tile_h);
    if (tile_w == 0 || tile_h == 0) fail("tiled TIFF without a tile size");
    std::vector<uint8_t> block(static_cast<size_t>(TIFFTileSize(tiff.get())));
    if (block.size() < static_cast<size_t>(tile_w) * tile_h * per_block * bits / 8) fail("inconsistent tile size");
    for (int s = 0; s < (separate ? 2 : 1); ++s)
      for (uint32_t y = 0; y < height; y += tile_h)
        for (uint32_t x = 0; x < width; x += tile_w) {
          if (TIFFReadTile(tiff.get(), block.data(), x, y, 0, static_cast<uint16_t>(s)) < 0) fail("unreadable tile");
          place(block, static_cast<int>(tile_w), static_cast<int>(tile_h), s, static_cast<int>(x), static_cast<int>(y));
        }
  } else {
    std::vector<uint8_t> line(static_cast<size_t>(TIFFScanlineSize(tiff.get())));
    if (line.size() < static_cast<size_t>(width) * per_block * bits / 8) fail("inconsistent scanline size");
    for (int s = 0; s < (separate ? 2 : 1); ++s)  // plane by plane: compressed strips read in order
      for (uint32_t y = 0; y < height; ++y) {
        if (TIFFReadScanline(tiff.get(), line.data(), y, static_cast<uint16_t>(s)) < 0)
          fail("unreadable row " + std::to_string(y) + " (truncated or corrupt)");
        place(line, static_cast<int>(width), 1, s, 0, static_cast<int>(y));
      }
  }
  if (bits == 8) to_straight_alpha<uint8_t>(pixels, premultiplied, photometric == PHOTOMETRIC_MINISWHITE);
  else to_straight_alpha<uint16_t>(pixels, premultiplied, photometric == PHOTOMETRIC_MINISWHITE);
  return pixels;
}

std::vector<uint8_t> encode_gray_alpha_tiff(const cv::Mat& pixels) {
  if ((pixels.type() != CV_8UC2 && pixels.type() != CV_16UC2) || pixels.empty())
    throw std::runtime_error("gray+alpha TIFF: the pixels must be 8- or 16-bit with two channels");
  std::vector<uint8_t> bytes;
  MemoryStream stream{&bytes, &bytes};
  std::string error;
  const auto fail = [&](const std::string& what) {
    throw std::runtime_error(error.empty() ? what : what + " (" + error + ")");
  };
  {
    const OpenOptions options = quiet_options(error);
    std::unique_ptr<TIFF, TiffCloser> tiff(TIFFClientOpenExt("tiff", "w", &stream, read_proc, write_proc, seek_proc,
                                                             close_proc, size_proc, map_proc, unmap_proc,
                                                             options.get()));
    if (!tiff) fail("libtiff cannot start a file");
    const int bits = pixels.depth() == CV_8U ? 8 : 16;
    const uint16_t alpha = EXTRASAMPLE_UNASSALPHA;
    TIFF* t = tiff.get();
    const bool fields_set = TIFFSetField(t, TIFFTAG_IMAGEWIDTH, static_cast<uint32_t>(pixels.cols)) == 1 &&
                            TIFFSetField(t, TIFFTAG_IMAGELENGTH, static_cast<uint32_t>(pixels.rows)) == 1 &&
                            TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bits) == 1 &&
                            TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 2) == 1 &&
                            TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK) == 1 &&
                            TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) == 1 &&
                            TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &alpha) == 1 &&
                            TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE) == 1 &&
                            TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL) == 1 &&
                            TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(t, 0)) == 1;
    if (!fields_set) fail("libtiff refused a tag");
    // libtiff's predictor differences the row in place: hand it a copy.
    const size_t row_bytes = static_cast<size_t>(pixels.cols) * pixels.elemSize();
    std::vector<uint8_t> row(row_bytes);
    for (int y = 0; y < pixels.rows; ++y) {
      std::memcpy(row.data(), pixels.ptr(y), row_bytes);
      if (TIFFWriteScanline(t, row.data(), static_cast<uint32_t>(y), 0) < 0) fail("cannot encode row " + std::to_string(y));
    }
    if (TIFFFlush(t) != 1) fail("cannot finish the file");
  }
  if (!error.empty()) throw std::runtime_error(error);
  return bytes;
}

}  // namespace restora
