#include "recent_files.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace restora::ui {
namespace {
const QString kKey = QStringLiteral("recentFiles");
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), menu_(menu) {
  files_ = QSettings().value(kKey).toStringList();
  rebuildMenu();
}

void RecentFiles::add(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  files_.removeAll(absolute);
  files_.prepend(absolute);
  while (files_.size() > kMaximum) files_.removeLast();
  save();
  rebuildMenu();
}

void RecentFiles::save() const { QSettings().setValue(kKey, files_); }

void RecentFiles::rebuildMenu() {
  menu_->clear();
  for (const QString& path : files_) {
    QAction* action = menu_->addAction(QDir::toNativeSeparators(path));
    connect(action, &QAction::triggered, this, [this, path]() { Q_EMIT openRequested(path); });
  }
  if (files_.isEmpty()) menu_->addAction(tr("No recent photos"))->setEnabled(false);
  else {
    menu_->addSeparator();
    menu_->addAction(tr("Clear list"), this, [this]() {
      files_.clear();
      save();
      rebuildMenu();
    });
  }
}

}  // namespace restora::ui
