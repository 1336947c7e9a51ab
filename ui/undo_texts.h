#pragma once
#include "image_edits.h"

#include <QString>

namespace restora::ui {

/// Texts of the history entries, all in one translation context ("UndoCommands").
QString restoreCommandText(const QString& model_name);
QString editCommandText(Edit edit);
QString cropCommandText(QSize size);

}  // namespace restora::ui
