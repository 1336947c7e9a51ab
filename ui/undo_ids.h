#pragma once

namespace restora::ui {

/// Every undo command's id (QUndoCommand::id), in one place.
enum class CommandId : int {
  Restore = 1,
  Rotate,
  Flip,
  Crop,
};

}  // namespace restora::ui
