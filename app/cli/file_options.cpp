#include "cli/file_options.h"

namespace restora::cli {

void add_file_options(ArgParser& parser) {
  parser.option("quality", 0, "Q", "JPEG and WebP output quality, 1-100 (default 95)")
      .option("max-pixels", 0, "N", "refuse images with more pixels than N, from their header (default 150000000)");
}

ReadOptions read_options(const ParsedArgs& parsed) {
  ReadOptions options;
  options.max_pixels = parsed.int_value("max-pixels", options.max_pixels, 1, 1LL << 40);
  return options;
}

WriteOptions write_options(const ParsedArgs& parsed) {
  WriteOptions options;
  options.quality = static_cast<int>(parsed.int_value("quality", options.quality, 1, 100));
  return options;
}

}  // namespace restora::cli
