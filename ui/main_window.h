#pragma once
#include <QMainWindow>

class QUndoStack;
class QLabel;

namespace restora::ui {

/// The application window: menus File / Edit / Restore / View / Help, the central view and a
/// status bar. Later issues fill the compare view, restore actions and dialogs.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);

  QUndoStack* undoStack() const { return undo_stack_; }

 private:
  void createMenus();
  void showAbout();

  QUndoStack* undo_stack_;
  QLabel* placeholder_;
};

}  // namespace restora::ui
