#include "state_command.h"

#include "photo_document.h"

namespace restora::ui {

StateCommand::StateCommand(PhotoDocument* document, ImageState before, ImageState after, CommandId id,
                           const QString& text)
    : QUndoCommand(text), document_(document), before_(std::move(before)), after_(std::move(after)), id_(id) {}

void StateCommand::undo() { document_->setState(before_); }
void StateCommand::redo() { document_->setState(after_); }

}  // namespace restora::ui
