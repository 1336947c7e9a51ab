#include "io/image_file.h"

#include "common/error.h"
#include "common/log.h"
#include "io/png_gray_alpha.h"
#include "io/tiff_gray_alpha.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <random>
#include <system_error>

namespace restora {
namespace {

std::string describe(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

std::string lower_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

/// Our layout (RGB order) at the depth the format holds -> what cv::imencode expects (BGR order;
/// gray+alpha as BGRA, since OpenCV's encoders take 1, 3 or 4 channels).
cv::Mat to_encoder_layout(const cv::Mat& pixels, int bits) {
  cv::Mat samples = pixels;
  if (bits == 8 && pixels.depth() == CV_16U) pixels.convertTo(samples, CV_8U, 255.0 / 65535.0);
  cv::Mat out;
  switch (samples.channels()) {
    case 1: return samples;
    case 2: {
      cv::Mat planes[2];
      cv::split(samples, planes);
      const cv::Mat bgra[4] = {planes[0], planes[0], planes[0], planes[1]};
      cv::merge(bgra, 4, out);
      return out;
    }
    case 3: cv::cvtColor(samples, out, cv::COLOR_RGB2BGR); return out;
    default: cv::cvtColor(samples, out, cv::COLOR_RGBA2BGRA); return out;
  }
}

std::vector<int> encoder_parameters(const std::string& extension, const WriteOptions& options) {
  if (extension == ".jpg" || extension == ".jpeg") return {cv::IMWRITE_JPEG_QUALITY, options.quality};
  if (extension == ".webp") return {cv::IMWRITE_WEBP_QUALITY, options.quality};
  return {};
}

std::atomic<WriteFault> injected_fault{WriteFault::None};

std::filesystem::path folder_of(const std::filesystem::path& path) {
  return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

/// ".NAME.restora-" + random + ".tmp": hidden (a batch never takes it for an input) and
/// recognisable (remove_interrupted_writes finds what a killed process left).
std::string temporary_prefix(const std::filesystem::path& target) { return "." + target.filename().string() + ".restora-"; }
constexpr const char* temporary_suffix = ".tmp";

std::filesystem::path temporary_beside(const std::filesystem::path& path) {
  std::random_device random;
  return folder_of(path) / (temporary_prefix(path) + std::to_string(random()) + temporary_suffix);
}

/// Writes all of `bytes` to a new file and fsyncs it; false with errno set on any failure.
bool write_synced(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  const WriteFault fault = injected_fault.load();
  if (fault == WriteFault::UnwritableFolder) {
    errno = EACCES;
    return false;
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  // A full disk accepts part of the file, then refuses the rest.
  const size_t allowed = fault == WriteFault::FullDisk ? bytes.size() / 2 : bytes.size();
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = done < allowed ? ::write(fd, bytes.data() + done, allowed - done) : (errno = ENOSPC, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = n < 0 ? errno : ENOSPC;
      ::close(fd);
      errno = saved;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return false;
  }
  return ::close(fd) == 0;
}

void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void inject_write_fault(WriteFault fault) { injected_fault.store(fault); }

void remove_interrupted_writes(const std::filesystem::path& target) {
  const std::string prefix = temporary_prefix(target);
  std::error_code error;
  for (std::filesystem::directory_iterator it(folder_of(target), error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    const bool ours = name.size() > prefix.size() + std::strlen(temporary_suffix) && name.compare(0, prefix.size(), prefix) == 0 &&
                      name.compare(name.size() - std::strlen(temporary_suffix), std::string::npos, temporary_suffix) == 0;
    std::error_code ignored;
    if (ours) std::filesystem::remove(it->path(), ignored);
  }
}

bool is_writable_image_format(const std::filesystem::path& path) {
  const std::string extension = lower_extension(path);
  for (const char* known : {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp"})
    if (extension == known) return true;
  return false;
}

int writable_bits(const std::filesystem::path& path, int bits) {
  const std::string extension = lower_extension(path);
  const bool deep = extension == ".png" || extension == ".tif" || extension == ".tiff";
  return deep ? bits : 8;
}

void write_image(const std::filesystem::path& path, const Image& image, const WriteOptions& options) {
  if (!is_writable_image_format(path))
    throw Error(ErrorKind::BadUsage, describe(path) + ": unsupported output format (use .png, .jpg, .tif, .webp or .bmp)");
  if (image.pixels.empty()) throw Error(ErrorKind::Failed, describe(path) + ": internal error: the image is empty");
  const std::string extension = lower_extension(path);
  std::vector<uint8_t> encoded;
  try {
    const bool tiff = extension == ".tif" || extension == ".tiff";
    if (extension == ".png" && image.pixels.channels() == 2) {
      encoded = encode_gray_alpha_png(image.pixels);
    } else if (tiff && image.pixels.channels() == 2) {
      encoded = encode_gray_alpha_tiff(image.pixels);
    } else {
      const cv::Mat mat = to_encoder_layout(image.pixels, writable_bits(path, image.bits()));
      if (!cv::imencode(extension, mat, encoded, encoder_parameters(extension, options)))
        throw Error(ErrorKind::Failed, describe(path) + ": cannot encode the image");
    }
  } catch (const Error&) {
    throw;
  } catch (const cv::Exception& e) {
    throw Error(ErrorKind::Failed, describe(path) + ": cannot encode the image (" + e.err + ")");
  } catch (const std::runtime_error& e) {
    throw Error(ErrorKind::Failed, describe(path) + ": cannot encode the image (" + e.what() + ")");
  }

  // Gray+alpha outside PNG and TIFF is written as RGBA (to_encoder_layout), so it is colour there.
  const bool gray_alpha_kept = extension == ".png" || extension == ".tif" || extension == ".tiff";
  const bool colour_file = image.pixels.channels() >= 3 || (image.pixels.channels() == 2 && !gray_alpha_kept);
  if (extension != ".bmp")
    image.metadata.write_into(encoded, {image.width(), image.height(), colour_file}, path.string());
  else if (!image.metadata.empty())
    log_warning(describe(path) + ": metadata: BMP cannot hold EXIF/XMP/IPTC or a colour profile; none written");

  const auto temporary = temporary_beside(path);
  if (!write_synced(temporary, encoded)) {
    const std::string reason = std::strerror(errno);
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error(ErrorKind::Failed, describe(path) + ": cannot write the image: " + reason);
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error(ErrorKind::Failed, describe(path) + ": cannot replace the file: " + error.message());
  }
  sync_folder(folder_of(path));
}

}  // namespace restora
