#include "image_state.h"

#include "image_convert.h"
#include "scaled_views.h"

#include "io/image.h"

namespace restora::ui {
namespace {

std::shared_ptr<const ScaledViews> views_of(const std::shared_ptr<const restora::Image>& picture,
                                            const ImageState& previous) {
  if (picture == previous.before && previous.before_views) return previous.before_views;
  if (picture == previous.after && previous.after_views) return previous.after_views;
  return std::make_shared<const ScaledViews>(toDisplayImage(*picture));
}

}  // namespace

ImageState makeState(std::shared_ptr<const restora::Image> before, std::shared_ptr<const restora::Image> after,
                     const ImageState& previous) {
  ImageState state;
  state.before_views = views_of(before, previous);
  state.after_views = after == before ? state.before_views : views_of(after, previous);
  state.before = std::move(before);
  state.after = std::move(after);
  return state;
}

std::int64_t stateBytes(const ImageState& state) {
  std::int64_t bytes = 0;
  if (state.before) bytes += imageBytes(*state.before) + state.before_views->bytes();
  if (state.after && state.after != state.before) bytes += imageBytes(*state.after) + state.after_views->bytes();
  return bytes;
}

}  // namespace restora::ui
