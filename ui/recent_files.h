#pragma once
#include <QObject>
#include <QStringList>

class QMenu;

namespace restora::ui {

/// The File > Open recent list, kept in QSettings ("recentFiles"), newest first.
class RecentFiles : public QObject {
  Q_OBJECT

 public:
  explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);

  void add(const QString& path);
  QStringList files() const { return files_; }

  static constexpr int kMaximum = 10;

 Q_SIGNALS:
  void openRequested(const QString& path);

 private:
  void rebuildMenu();
  void save() const;

  QMenu* menu_;
  QStringList files_;
};

}  // namespace restora::ui
