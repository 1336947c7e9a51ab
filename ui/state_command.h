#pragma once
#include "image_state.h"
#include "undo_ids.h"

#include <QUndoCommand>

namespace restora::ui {

class PhotoDocument;

/// One step of the history: swaps the document between two finished states (a restoration, a
/// rotation, a flip, a crop). Made only once the new state exists, so a failed or cancelled
/// operation never reaches the stack, and undo/redo never recompute anything.
class StateCommand : public QUndoCommand {
 public:
  StateCommand(PhotoDocument* document, ImageState before, ImageState after, CommandId id, const QString& text);

  void undo() override;
  void redo() override;
  int id() const override { return static_cast<int>(id_); }

  const ImageState& stateBefore() const { return before_; }
  const ImageState& stateAfter() const { return after_; }

 private:
  PhotoDocument* document_;
  ImageState before_;
  ImageState after_;
  CommandId id_;
};

}  // namespace restora::ui
