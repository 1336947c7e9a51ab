#include "main_window.h"

#include <QMenuBar>
#include <QUndoStack>
#include <gtest/gtest.h>

namespace restora::ui {
namespace {

TEST(MainWindow, HasTheFiveTopLevelMenus) {
  MainWindow window;
  QStringList titles;
  for (QAction* action : window.menuBar()->actions()) titles << action->text().remove('&');
  EXPECT_EQ(titles, (QStringList{"File", "Edit", "Restore", "View", "Help"}));
}

TEST(MainWindow, StartsWithAnEmptyUndoStack) {
  MainWindow window;
  EXPECT_EQ(window.undoStack()->count(), 0);
  EXPECT_FALSE(window.undoStack()->canUndo());
}

TEST(MainWindow, RendersOffscreen) {
  MainWindow window;
  window.show();
  const QPixmap shot = window.grab();
  EXPECT_GT(shot.width(), 0);
  EXPECT_GT(shot.height(), 0);
}

}  // namespace
}  // namespace restora::ui
