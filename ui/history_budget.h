#pragma once
#include "image_state.h"

#include <cstdint>

class QUndoStack;

namespace restora::ui {

/// Memory the history holds: every distinct picture and view set referenced by the stack's
/// commands, plus `incoming` (a state about to be pushed). Shared pictures count once.
std::int64_t historyBytes(const QUndoStack& stack, const ImageState& incoming);

/// The budget in bytes: QSettings "history/budgetMiB", 4096 MiB by default.
std::int64_t historyBudget();

}  // namespace restora::ui
