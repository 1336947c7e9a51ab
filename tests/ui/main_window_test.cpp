#include "main_window.h"

#include "compare_view.h"
#include "photo_document.h"
#include "restore_panel.h"
#include "restore_runner.h"
#include "startup_options.h"
#include "ui_test_support.h"

#include <QCoreApplication>
#include <QDropEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QUndoStack>
#include <QUrl>
#include <gtest/gtest.h>

#include <memory>

namespace restora::ui {
namespace {

using test::waitUntil;

TEST(MainWindow, HasTheFiveTopLevelMenus) {
  MainWindow window;
  QStringList titles;
  for (QAction* action : window.menuBar()->actions()) titles << action->text().remove('&');
  EXPECT_EQ(titles, (QStringList{"File", "Edit", "Restore", "View", "Help"}));
}

// A keyboard user (and the screenshot script) picks items by their mnemonic: one letter, one item.
TEST(MainWindow, EachMenuItemHasAMnemonicOfItsOwn) {
  MainWindow window;
  for (QAction* title : window.menuBar()->actions()) {
    QMap<QChar, QString> taken;
    for (QAction* item : title->menu()->actions()) {
      if (item->isSeparator() || item->menu()) continue;
      const QString text = item->text();
      const qsizetype amp = text.indexOf('&');
      ASSERT_GE(amp, 0) << text.toStdString() << " has no mnemonic";
      const QChar key = text.at(amp + 1).toLower();
      EXPECT_FALSE(taken.contains(key)) << title->text().toStdString() << ": " << text.toStdString() << " and "
                                        << taken.value(key).toStdString() << " share '" << QString(key).toStdString() << "'";
      taken.insert(key, text);
    }
  }
}

TEST(MainWindow, StartsEmptyWithAHintOfWhatToDo) {
  MainWindow window;
  EXPECT_EQ(window.undoStack()->count(), 0);
  EXPECT_FALSE(window.document()->hasPhoto());
  auto* centre = qobject_cast<QStackedWidget*>(window.centralWidget());
  ASSERT_NE(centre, nullptr);
  auto* hint = qobject_cast<QLabel*>(centre->currentWidget());
  ASSERT_NE(hint, nullptr);
  EXPECT_TRUE(hint->text().contains("drop"));
}

TEST(MainWindow, RendersOffscreen) {
  MainWindow window;
  window.show();
  const QPixmap shot = window.grab();
  EXPECT_GT(shot.width(), 0);
  EXPECT_GT(shot.height(), 0);
}

TEST(MainWindow, OpensThePhotoGivenOnTheCommandLine) {
  const QString photo = test::writeTestPhoto("command-line", 64, 48);
  const StartupOptions options = parseStartupArguments({"restora", "--threads", "2", photo});
  ASSERT_TRUE(options.error.isEmpty()) << options.error.toStdString();
  ASSERT_EQ(options.photo, photo);
  MainWindow window;
  window.openPhoto(options.photo);
  ASSERT_TRUE(waitUntil([&] { return window.document()->hasPhoto(); }));
  EXPECT_EQ(window.document()->path(), photo);
  EXPECT_EQ(qobject_cast<QStackedWidget*>(window.centralWidget())->currentWidget(), window.compareView());
}

TEST(MainWindow, SavesJpegAtTheQualityAskedAndRemembersTheLastChosen) {
  const QString photo = test::writeTestPhoto("save-quality", 96, 64);
  MainWindow window;
  window.openPhoto(photo);
  ASSERT_TRUE(waitUntil([&] { return window.document()->hasPhoto(); }));
  QStringList saved;
  QObject::connect(&window, &MainWindow::saved, [&](const QString& path) { saved << path; });
  const QString low = photo + "-q20.jpg";
  const QString high = photo + "-q98.jpg";
  window.savePhoto(low, 20);
  ASSERT_TRUE(waitUntil([&] { return saved.size() == 1; })) << window.lastError().toStdString();
  window.savePhoto(high, 98);
  ASSERT_TRUE(waitUntil([&] { return saved.size() == 2; })) << window.lastError().toStdString();
  EXPECT_LT(QFileInfo(low).size(), QFileInfo(high).size());
  QSettings().setValue("save/quality", 20);
  EXPECT_EQ(MainWindow::savedQuality(), 20);
  QSettings().remove("save/quality");
  EXPECT_EQ(MainWindow::savedQuality(), 95);
}

TEST(MainWindow, RefusesUnknownOptionsAndASecondPhoto) {
  EXPECT_TRUE(parseStartupArguments({"restora", "--frobnicate"}).error.contains("--frobnicate"));
  EXPECT_TRUE(parseStartupArguments({"restora", "a.png", "b.png"}).error.contains("b.png"));
}

TEST(MainWindow, OpensADroppedFile) {
  const QString photo = test::writeTestPhoto("dropped", 40, 32);
  MainWindow window;
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(photo)});
  // Straight to the window's event handler, as the platform's drag manager delivers them.
  QObject& receiver = window;
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  receiver.event(&enter);
  EXPECT_TRUE(enter.isAccepted());
  QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  receiver.event(&drop);
  EXPECT_TRUE(drop.isAccepted());
  ASSERT_TRUE(waitUntil([&] { return window.document()->hasPhoto(); }));
  EXPECT_EQ(window.document()->path(), photo);
}

TEST(MainWindow, SaysWhichFileCouldNotBeOpened) {
  const QString missing = test::writeTestPhoto("missing", 8, 8) + ".nothing-here.png";
  MainWindow window;
  window.openPhoto(missing);
  ASSERT_TRUE(waitUntil([&] { return !window.lastError().isEmpty(); }));
  EXPECT_TRUE(window.lastError().contains(missing)) << window.lastError().toStdString();
  EXPECT_FALSE(window.document()->hasPhoto());
}

TEST(MainWindow, ClosingDuringARunExitsCleanly) {
  const QString photo = test::writeTestPhoto("closing", 64, 64);
  auto window = std::make_unique<MainWindow>();
  window->show();
  window->useCheckpoint(test::tinyHinetWeights());
  window->openPhoto(photo);
  ASSERT_TRUE(waitUntil([&] { return window->document()->hasPhoto() && !window->restorePanel()->modelId().isEmpty(); }))
      << window->lastError().toStdString();
  window->runRestoration();
  if (!window->lastError().isEmpty()) FAIL() << window->lastError().toStdString();
  EXPECT_TRUE(window->runner()->isRunning());
  EXPECT_TRUE(window->close());
  window.reset();  // cancels and waits for the worker; a crash or hang fails the test
  SUCCEED();
}

}  // namespace
}  // namespace restora::ui
