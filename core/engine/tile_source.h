#pragma once
// Where a stage's tiles come from and where their results go: regions of float pixels, so that
// the full image need never be held in float (sources and sinks over 8/16-bit images convert one
// region at a time).
#include "engine/job.h"

#include <torch/types.h>

#include <cstdint>
#include <memory>

namespace restora {

/// Pixels of a stage's network input, readable a region at a time.
class TileSource {
 public:
  virtual ~TileSource() = default;
  virtual int64_t height() const = 0;
  virtual int64_t width() const = 0;
  virtual int64_t channels() const = 0;
  /// [1, channels(), rect.height, rect.width] float32 on the CPU for a rect inside the image.
  virtual torch::Tensor read_inside(const PixelRect& rect) const = 0;

  /// Any rect: coordinates outside the image read the pixel source_index() names (the canvas
  /// padding of the whole-image path beyond the right/bottom, reflections before the left/top).
  torch::Tensor read(const PixelRect& rect, bool reflect_end) const;
};

/// Receives a stage's finished output, a region at a time ([1, 3, h, w] float in [0, 1]).
class TileSink {
 public:
  virtual ~TileSink() = default;
  virtual void write(const PixelRect& rect, const torch::Tensor& rgb) = 0;
};

/// A source over a [1, C, H, W] float tensor (small images, references, tests).
class TensorSource : public TileSource {
 public:
  explicit TensorSource(torch::Tensor pixels);
  int64_t height() const override { return pixels_.size(2); }
  int64_t width() const override { return pixels_.size(3); }
  int64_t channels() const override { return pixels_.size(1); }
  torch::Tensor read_inside(const PixelRect& rect) const override;

 private:
  torch::Tensor pixels_;
};

/// Two sources of one size side by side in channels (dual-pixel: left view, right view).
class ConcatSource : public TileSource {
 public:
  ConcatSource(std::shared_ptr<const TileSource> first, std::shared_ptr<const TileSource> second);
  int64_t height() const override { return first_->height(); }
  int64_t width() const override { return first_->width(); }
  int64_t channels() const override { return first_->channels() + second_->channels(); }
  torch::Tensor read_inside(const PixelRect& rect) const override;

 private:
  std::shared_ptr<const TileSource> first_;
  std::shared_ptr<const TileSource> second_;
};

/// A source `scale` times larger than `low`, upscaled bicubic (align_corners false, clamped to
/// [0, 1]) as the whole-image path upscales for MIRNet's SR: each region is computed from the
/// low-resolution pixels it depends on plus two of context, so it equals the same region of the
/// whole image's upscale.
class BicubicSource : public TileSource {
 public:
  BicubicSource(std::shared_ptr<const TileSource> low, int64_t scale);
  int64_t height() const override { return low_->height() * scale_; }
  int64_t width() const override { return low_->width() * scale_; }
  int64_t channels() const override { return low_->channels(); }
  torch::Tensor read_inside(const PixelRect& rect) const override;

 private:
  std::shared_ptr<const TileSource> low_;
  int64_t scale_;
};

/// A source over a decoded photo at its own depth: each region is converted to float on demand,
/// so the photo is never held in float.
class ImageSource : public TileSource {
 public:
  explicit ImageSource(const Image& image) : image_(image) {}
  int64_t height() const override { return image_.height(); }
  int64_t width() const override { return image_.width(); }
  int64_t channels() const override { return 3; }
  torch::Tensor read_inside(const PixelRect& rect) const override;

 private:
  const Image& image_;  ///< outlives the source (the job's input)
};

/// A sink that stores each region into an image at its depth (store_rgb: clamped, rounded).
class ImageSink : public TileSink {
 public:
  explicit ImageSink(Image& image) : image_(image) {}
  void write(const PixelRect& rect, const torch::Tensor& rgb) override;

 private:
  Image& image_;
};

/// A sink into a [1, 3, H, W] float tensor it owns.
class TensorSink : public TileSink {
 public:
  TensorSink(int64_t height, int64_t width);
  void write(const PixelRect& rect, const torch::Tensor& rgb) override;
  const torch::Tensor& pixels() const { return pixels_; }

 private:
  torch::Tensor pixels_;
};

}  // namespace restora
