#pragma once
#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace restora {

/// Decodes a baseline or progressive 8-bit JPEG through libjpeg(-turbo) directly, because OpenCV
/// turns a truncated file into a grey-padded picture with only a message on stderr. Here every
/// libjpeg warning is an error (premature end, corrupt data), except bytes before a marker,
/// which cameras write and which lose nothing. Output: gray (1 channel) or RGB (3 channels, in
/// R,G,B order); CMYK/YCCK (Adobe inverted or not) is converted to RGB.
/// Throws std::runtime_error with libjpeg's reason; `max_pixels` is checked from the header.
cv::Mat decode_jpeg(const std::vector<uint8_t>& file, int64_t max_pixels, std::vector<std::string>& warnings);

}  // namespace restora
