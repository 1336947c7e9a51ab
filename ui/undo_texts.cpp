#include "undo_texts.h"

#include <QCoreApplication>
#include <QSize>

namespace restora::ui {
namespace {
QString translated(const char* text) { return QCoreApplication::translate("UndoCommands", text); }
}  // namespace

QString restoreCommandText(const QString& model_name) { return translated("Restore with %1").arg(model_name); }

QString editCommandText(Edit edit) {
  switch (edit) {
    case Edit::RotateClockwise: return translated("Rotate 90° clockwise");
    case Edit::RotateCounterClockwise: return translated("Rotate 90° counter-clockwise");
    case Edit::FlipHorizontal: return translated("Flip horizontally");
    case Edit::FlipVertical: return translated("Flip vertically");
  }
  return {};
}

QString cropCommandText(QSize size) {
  return translated("Crop to %1 × %2").arg(size.width()).arg(size.height());
}

}  // namespace restora::ui
