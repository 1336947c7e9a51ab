#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace restora {

/// What a photo file carries besides its pixels: EXIF, XMP, IPTC and the ICC profile, as Exiv2
/// 0.27 read them (held behind a pointer, so only metadata.cpp needs Exiv2's headers). Cheap to
/// copy: copies share the same read-only data. Exiv2 problems never stop an image from being
/// read or written: they become warnings naming the file (restora::log_warning).
class Metadata {
 public:
  Metadata();

  /// What reading a file's header told us besides its metadata.
  struct Header {
    int64_t width = 0;    ///< pixel size from the header (0: unknown)
    int64_t height = 0;
    int samples_per_pixel = 0;  ///< TIFF: SamplesPerPixel of its first image (0: unknown)
    /// Exiv2's complaints, each naming the file: the caller logs them once the file turns out to be
    /// an image at all (a text file named .png gets one error, not a metadata warning too).
    std::vector<std::string> warnings;
  };

  /// Parses the metadata and pixel size of an encoded file in memory (no pixel decoding).
  /// `display_name` names the file in warnings.
  static Metadata read(const std::vector<uint8_t>& file, const std::string& display_name, Header* header);

  /// What is true of the output file the metadata goes into.
  struct OutputFacts {
    int64_t width = 0;   ///< pixel size of the written image (SR changes it)
    int64_t height = 0;
    bool colour = true;  ///< RGB output (false: gray); an ICC profile of another colour space is dropped
  };

  /// Writes the carried metadata into the encoded image `file` (before it reaches the disk):
  /// Orientation 1 (the pixels are already turned), pixel dimensions of `facts`, Software =
  /// "Restora VERSION". Formats Exiv2 cannot write (BMP) are left as they are, with a warning
  /// when something was lost.
  void write_into(std::vector<uint8_t>& file, const OutputFacts& facts, const std::string& display_name) const;

  /// The EXIF Orientation (1..8) the file declared; 1 when absent or out of range.
  int orientation() const;
  /// The ICC profile's bytes (empty without one) and its colour space signature ("RGB ",
  /// "GRAY", "CMYK", ...; "" without a profile).
  const std::vector<uint8_t>& icc_profile() const;
  std::string icc_colour_space() const;
  void set_icc_profile(std::vector<uint8_t> profile);
  /// Keys of every EXIF, IPTC and XMP entry ("Exif.Image.Make", ...), for tests and diagnostics.
  std::vector<std::string> keys() const;
  bool empty() const;

  struct Data;  ///< Exiv2's containers (metadata.cpp)

 private:
  std::shared_ptr<const Data> data_;
};

}  // namespace restora
