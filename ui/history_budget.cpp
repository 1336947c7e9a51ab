#include "history_budget.h"

#include "image_convert.h"
#include "scaled_views.h"
#include "state_command.h"

#include <QSettings>
#include <QUndoStack>

#include <set>

namespace restora::ui {
namespace {

struct Tally {
  std::set<const void*> seen;
  std::int64_t bytes = 0;

  void add(const ImageState& state) {
    for (const auto& picture : {state.before, state.after})
      if (picture && seen.insert(picture.get()).second) bytes += imageBytes(*picture);
    for (const auto& views : {state.before_views, state.after_views})
      if (views && seen.insert(views.get()).second) bytes += views->bytes();
  }
};

}  // namespace

std::int64_t historyBytes(const QUndoStack& stack, const ImageState& incoming) {
  Tally tally;
  tally.add(incoming);
  for (int index = 0; index < stack.count(); ++index) {
    const auto* command = dynamic_cast<const StateCommand*>(stack.command(index));
    if (command == nullptr) continue;
    tally.add(command->stateBefore());
    tally.add(command->stateAfter());
  }
  return tally.bytes;
}

std::int64_t historyBudget() {
  return QSettings().value(QStringLiteral("history/budgetMiB"), 4096).toLongLong() * 1024 * 1024;
}

}  // namespace restora::ui
