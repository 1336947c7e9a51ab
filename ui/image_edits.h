#pragma once
#include <QRect>

namespace restora {
struct Image;
}

namespace restora::ui {

/// Simple geometric edits of a picture (rgb and alpha alike), exact: no resampling.
enum class Edit { RotateClockwise, RotateCounterClockwise, FlipHorizontal, FlipVertical };

restora::Image applyEdit(const restora::Image& image, Edit edit);

/// The part of the picture inside `region` (clipped to the picture; an empty result when nothing is left).
restora::Image cropImage(const restora::Image& image, const QRect& region);

}  // namespace restora::ui
