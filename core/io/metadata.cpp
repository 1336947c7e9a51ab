#include "io/metadata.h"

#include "common/log.h"
#include "runtime/version.h"

#include <exiv2/exiv2.hpp>

#include <mutex>

namespace restora {

struct Metadata::Data {
  Exiv2::ExifData exif;
  Exiv2::IptcData iptc;
  Exiv2::XmpData xmp;
  std::vector<uint8_t> icc;
  int orientation = 1;
};

namespace {

// ---- Exiv2's log and XMP toolkit: set up once, messages collected per call ---------------------

/// Exiv2 logs through one global handler; while one of our calls runs on a thread, what it logs
/// is collected here so that it can be reported naming the file.
thread_local std::vector<std::string>* collected_messages = nullptr;

void exiv2_log_handler(int level, const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (collected_messages != nullptr && level >= Exiv2::LogMsg::warn) {
    collected_messages->push_back(text);
  } else {
    log_message(level >= Exiv2::LogMsg::warn ? LogLevel::Warning : LogLevel::Debug, "Exiv2: " + text);
  }
}

std::mutex xmp_toolkit_mutex;

void lock_unlock_xmp(void* data, bool lock) {
  auto* mutex = static_cast<std::mutex*>(data);
  if (lock)
    mutex->lock();
  else
    mutex->unlock();
}

void set_up_exiv2() {
  static std::once_flag once;
  std::call_once(once, [] {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::warn);
    Exiv2::LogMsg::setHandler(exiv2_log_handler);
    Exiv2::XmpParser::initialize(lock_unlock_xmp, &xmp_toolkit_mutex);
  });
}

/// Collects what Exiv2 logs during one call; each message becomes "'file': metadata: ...".
class MessageScope {
 public:
  MessageScope(std::vector<std::string>& sink, std::string name) : sink_(sink), name_(std::move(name)) {
    set_up_exiv2();
    previous_ = collected_messages;
    collected_messages = &raw_;
  }
  ~MessageScope() {
    collected_messages = previous_;
    for (const auto& message : raw_) add(message);
  }
  void add(const std::string& message) { sink_.push_back("'" + name_ + "': metadata: " + message); }

 private:
  std::vector<std::string>& sink_;
  std::string name_;
  std::vector<std::string> raw_;
  std::vector<std::string>* previous_ = nullptr;
};

// ---- what changes on the way to the output ------------------------------------------------------

/// IFD0 tags that describe the source file's own pixel encoding (strips, tiles, samples): they
/// would be wrong in any other file, and the output's encoder writes its own.
bool describes_source_encoding(const std::string& key) {
  static const char* const tags[] = {
      "Exif.Image.ImageWidth",       "Exif.Image.ImageLength",     "Exif.Image.BitsPerSample",
      "Exif.Image.Compression",      "Exif.Image.PhotometricInterpretation", "Exif.Image.StripOffsets",
      "Exif.Image.SamplesPerPixel",  "Exif.Image.RowsPerStrip",    "Exif.Image.StripByteCounts",
      "Exif.Image.PlanarConfiguration", "Exif.Image.TileWidth",    "Exif.Image.TileLength",
      "Exif.Image.TileOffsets",      "Exif.Image.TileByteCounts",  "Exif.Image.ExtraSamples",
      "Exif.Image.SampleFormat",     "Exif.Image.Predictor",       "Exif.Image.FillOrder",
      "Exif.Image.SubIFDs",          "Exif.Image.JPEGTables",      "Exif.Image.InterColorProfile",
      "Exif.Image.NewSubfileType",   "Exif.Image.YCbCrSubSampling", "Exif.Image.YCbCrPositioning"};
  for (const char* tag : tags)
    if (key == tag) return true;
  return false;
}

Exiv2::ExifData output_exif(const Exiv2::ExifData& source, const Metadata::OutputFacts& facts) {
  Exiv2::ExifData exif;
  for (const auto& datum : source)
    if (!describes_source_encoding(datum.key())) exif.add(datum);
  exif["Exif.Image.Orientation"] = static_cast<uint16_t>(1);
  exif["Exif.Image.Software"] = "Restora " + version();
  if (exif.findKey(Exiv2::ExifKey("Exif.Photo.PixelXDimension")) != exif.end() ||
      exif.findKey(Exiv2::ExifKey("Exif.Photo.PixelYDimension")) != exif.end() || !source.empty()) {
    exif["Exif.Photo.PixelXDimension"] = static_cast<uint32_t>(facts.width);
    exif["Exif.Photo.PixelYDimension"] = static_cast<uint32_t>(facts.height);
  }
  return exif;
}

Exiv2::XmpData output_xmp(const Exiv2::XmpData& source, const Metadata::OutputFacts& facts) {
  Exiv2::XmpData xmp = source;
  const auto update = [&](const char* key, const std::string& value) {
    if (xmp.findKey(Exiv2::XmpKey(key)) != xmp.end()) xmp[key] = value;
  };
  update("Xmp.tiff.Orientation", "1");
  update("Xmp.tiff.ImageWidth", std::to_string(facts.width));
  update("Xmp.tiff.ImageLength", std::to_string(facts.height));
  update("Xmp.exif.PixelXDimension", std::to_string(facts.width));
  update("Xmp.exif.PixelYDimension", std::to_string(facts.height));
  return xmp;
}

std::string colour_space_of(const std::vector<uint8_t>& icc) {
  // ICC.1 header: the data colour space signature is bytes 16..19.
  if (icc.size() < 20) return "";
  return std::string(icc.begin() + 16, icc.begin() + 20);
}

std::vector<uint8_t> buffer_bytes(const Exiv2::DataBuf& buffer) {
  if (buffer.pData_ == nullptr || buffer.size_ <= 0) return {};
  return std::vector<uint8_t>(buffer.pData_, buffer.pData_ + buffer.size_);
}

std::vector<uint8_t> io_bytes(Exiv2::BasicIo& io) {
  io.seek(0, Exiv2::BasicIo::beg);
  const Exiv2::DataBuf all = io.read(static_cast<long>(io.size()));
  return buffer_bytes(all);
}

}  // namespace

Metadata::Metadata() : data_(std::make_shared<Data>()) {}

Metadata Metadata::read(const std::vector<uint8_t>& file, const std::string& display_name, Header* header) {
  Header ignored;
  Header& out = header != nullptr ? *header : ignored;
  out = Header{};
  auto data = std::make_shared<Data>();
  MessageScope messages(out.warnings, display_name);
  try {
    auto image = Exiv2::ImageFactory::open(file.data(), static_cast<long>(file.size()));
    image->readMetadata();
    out.width = image->pixelWidth();
    out.height = image->pixelHeight();
    data->exif = image->exifData();
    data->iptc = image->iptcData();
    data->xmp = image->xmpData();
    if (image->iccProfileDefined()) data->icc = buffer_bytes(*image->iccProfile());
    const auto samples = data->exif.findKey(Exiv2::ExifKey("Exif.Image.SamplesPerPixel"));
    if (samples != data->exif.end() && samples->count() > 0) out.samples_per_pixel = static_cast<int>(samples->toLong());
    const auto orientation = data->exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
    if (orientation != data->exif.end() && orientation->count() > 0) {
      const long value = orientation->toLong();
      if (value >= 1 && value <= 8) data->orientation = static_cast<int>(value);
    }
  } catch (const Exiv2::AnyError& error) {
    messages.add(error.what());
  } catch (const std::exception& error) {  // Exiv2 lets std::bad_alloc & co. through on hostile input
    messages.add(error.what());
  }
  Metadata metadata;
  metadata.data_ = std::move(data);
  return metadata;
}

void Metadata::write_into(std::vector<uint8_t>& file, const OutputFacts& facts, const std::string& display_name) const {
  std::vector<std::string> warnings;
  {
    MessageScope messages(warnings, display_name);
    try {
      auto image = Exiv2::ImageFactory::open(file.data(), static_cast<long>(file.size()));
      if (image->checkMode(Exiv2::mdExif) != Exiv2::amReadWrite &&
          image->checkMode(Exiv2::mdExif) != Exiv2::amWrite) {
        if (!empty()) messages.add("this output format cannot hold EXIF/XMP/IPTC or a colour profile; none written");
      } else {
        image->readMetadata();
        image->setExifData(output_exif(data_->exif, facts));
        image->setIptcData(data_->iptc);
        image->setXmpData(output_xmp(data_->xmp, facts));
        const std::string space = colour_space_of(data_->icc);
        if (!data_->icc.empty()) {
          if (space == (facts.colour ? "RGB " : "GRAY")) {
            Exiv2::DataBuf profile(data_->icc.data(), static_cast<long>(data_->icc.size()));
            image->setIccProfile(profile, true);
          } else {
            messages.add("the colour profile (" + space + ") does not fit the " +
                         std::string(facts.colour ? "RGB" : "gray") + " output; not attached");
          }
        }
        image->writeMetadata();
        file = io_bytes(image->io());
      }
    } catch (const Exiv2::AnyError& error) {
      messages.add(std::string(error.what()) + "; the image is written without it");
    } catch (const std::exception& error) {
      messages.add(std::string(error.what()) + "; the image is written without it");
    }
  }
  for (const auto& warning : warnings) log_warning(warning);
}

int Metadata::orientation() const { return data_->orientation; }

const std::vector<uint8_t>& Metadata::icc_profile() const { return data_->icc; }

std::string Metadata::icc_colour_space() const { return colour_space_of(data_->icc); }

void Metadata::set_icc_profile(std::vector<uint8_t> profile) {
  auto data = std::make_shared<Data>(*data_);
  data->icc = std::move(profile);
  data_ = std::move(data);
}

std::vector<std::string> Metadata::keys() const {
  std::vector<std::string> keys;
  for (const auto& datum : data_->exif) keys.push_back(datum.key());
  for (const auto& datum : data_->iptc) keys.push_back(datum.key());
  for (const auto& datum : data_->xmp) keys.push_back(datum.key());
  return keys;
}

bool Metadata::empty() const {
  return data_->exif.empty() && data_->iptc.empty() && data_->xmp.empty() && data_->icc.empty();
}

}  // namespace restora
