#pragma once
#include <cstdint>
#include <memory>

namespace restora {
struct Image;
}

namespace restora::ui {

class ScaledViews;

/// What the compare view shows and the undo history swaps: the picture before restoration (the
/// photo as opened, with the same geometric edits) and after, with their display views.
/// Immutable once made, so undo and redo only swap shared pointers: nothing is recomputed.
struct ImageState {
  std::shared_ptr<const restora::Image> before;
  std::shared_ptr<const restora::Image> after;
  std::shared_ptr<const ScaledViews> before_views;
  std::shared_ptr<const ScaledViews> after_views;

  bool isEmpty() const { return !after; }
};

/// Builds a state and its display views (seconds on a large photo: call it off the GUI thread).
/// Views of `previous` are reused for pictures that are the same objects.
ImageState makeState(std::shared_ptr<const restora::Image> before, std::shared_ptr<const restora::Image> after,
                     const ImageState& previous = {});

/// Memory the state's pictures and views take, counting shared pictures once.
std::int64_t stateBytes(const ImageState& state);

}  // namespace restora::ui
