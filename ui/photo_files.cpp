#include "photo_files.h"

#include "image_convert.h"

#include "common/error.h"
#include "io/image.h"
#include "io/image_file.h"

#include <QFileInfo>

namespace restora::ui {

ImageState loadPhotoState(const QString& path) {
  auto picture = loadPicture(path);
  return makeState(picture, picture);
}

std::shared_ptr<const restora::Image> loadPicture(const QString& path) {
  return std::make_shared<const restora::Image>(read_image(path.toStdString()));
}

void savePicture(const QString& path, const restora::Image& picture, int quality) {
  WriteOptions options;
  options.quality = quality;
  write_image(path.toStdString(), picture, options);
}

ImageState pastedState(const QImage& pasted) {
  if (pasted.isNull()) throw Error(ErrorKind::BadInput, "the clipboard picture is empty");
  auto picture = std::make_shared<const restora::Image>(fromQImage(pasted));
  return makeState(picture, picture);
}

ImageState editedState(const ImageState& state, Edit edit) {
  auto before = std::make_shared<const restora::Image>(applyEdit(*state.before, edit));
  auto after = state.after == state.before ? before : std::make_shared<const restora::Image>(applyEdit(*state.after, edit));
  return makeState(before, after);
}

ImageState croppedState(const ImageState& state, const QRect& selection) {
  const QSize after_size = imageSize(*state.after);
  const QSize before_size = imageSize(*state.before);
  const double sx = double(before_size.width()) / after_size.width();
  const double sy = double(before_size.height()) / after_size.height();
  const QRect before_region(qRound(selection.x() * sx), qRound(selection.y() * sy),
                            qMax(1, qRound(selection.width() * sx)), qMax(1, qRound(selection.height() * sy)));
  auto before = std::make_shared<const restora::Image>(cropImage(*state.before, before_region));
  auto after = state.after == state.before ? before
                                           : std::make_shared<const restora::Image>(cropImage(*state.after, selection));
  if (before->pixels.empty() || after->pixels.empty())
    throw Error(ErrorKind::BadUsage, "the selection lies outside the picture");
  return makeState(before, after);
}

}  // namespace restora::ui
