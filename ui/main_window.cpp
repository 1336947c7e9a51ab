#include "main_window.h"

#include "runtime/threads.h"
#include "runtime/version.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QUndoStack>

namespace restora::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), undo_stack_(new QUndoStack(this)), placeholder_(new QLabel(this)) {
  setWindowTitle(tr("Restora"));
  setObjectName(QStringLiteral("MainWindow"));
  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setText(tr("Open a photo to restore it."));
  placeholder_->setObjectName(QStringLiteral("placeholder"));
  setCentralWidget(placeholder_);
  createMenus();
  statusBar()->showMessage(tr("Ready. LibTorch %1, %n thread(s).", nullptr, configured_threads())
                               .arg(QString::fromStdString(torch_version())));
  resize(1100, 720);
}

void MainWindow::createMenus() {
  QMenu* file_menu = menuBar()->addMenu(tr("&File"));
  QAction* quit = file_menu->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* edit_menu = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = undo_stack_->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = undo_stack_->createRedoAction(this, tr("&Redo"));
  redo->setShortcut(QKeySequence::Redo);
  edit_menu->addAction(undo);
  edit_menu->addAction(redo);

  menuBar()->addMenu(tr("&Restore"));
  menuBar()->addMenu(tr("&View"));

  QMenu* help_menu = menuBar()->addMenu(tr("&Help"));
  help_menu->addAction(tr("&About Restora"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Restora"),
                     tr("<h3>Restora %1</h3><p>Photo restoration with deep networks: MPRNet, MIRNet, "
                        "MIRNet-v2, HINet and SSEN.</p><p>LibTorch %2, %3 thread(s).</p>")
                         .arg(QString::fromStdString(version()), QString::fromStdString(torch_version()))
                         .arg(configured_threads()));
}

}  // namespace restora::ui
