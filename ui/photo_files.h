#pragma once
#include "image_edits.h"
#include "image_state.h"

#include <QImage>
#include <QRect>
#include <QString>

namespace restora::ui {

/// Work on pictures for the main window, kept here so that the window's own files need no
/// LibTorch headers. All of these are slow on large photos: call them off the GUI thread.
/// Errors are restora::Error with a one-line message naming the file.

/// A photo decoded by core/io, before and after both the picture as opened.
ImageState loadPhotoState(const QString& path);
std::shared_ptr<const restora::Image> loadPicture(const QString& path);
/// Writes through core/io (metadata kept); `quality` (1-100) is for JPEG and WebP.
void savePicture(const QString& path, const restora::Image& picture, int quality);
/// A picture pasted from the clipboard, as a newly opened photo.
ImageState pastedState(const QImage& pasted);
/// The state with `edit` applied to both pictures.
ImageState editedState(const ImageState& state, Edit edit);
/// The state cut to `selection` (after pixels; scaled for a smaller, not super-resolved, before).
ImageState croppedState(const ImageState& state, const QRect& selection);

}  // namespace restora::ui
