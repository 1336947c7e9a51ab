#pragma once
#include "image_state.h"

#include <QObject>
#include <QString>

namespace restora::ui {

/// The open photo: its file, the current before/after state (which undo commands swap) and an
/// optional ground truth the metrics compare against.
class PhotoDocument : public QObject {
  Q_OBJECT

 public:
  explicit PhotoDocument(QObject* parent = nullptr);

  bool hasPhoto() const { return !state_.isEmpty(); }
  const ImageState& state() const { return state_; }
  QString path() const { return path_; }
  std::shared_ptr<const restora::Image> groundTruth() const { return ground_truth_; }
  QString groundTruthPath() const { return ground_truth_path_; }

  /// A newly opened photo (clears the ground truth).
  void open(const QString& path, ImageState state);
  void setState(ImageState state);
  void setGroundTruth(const QString& path, std::shared_ptr<const restora::Image> image);

 Q_SIGNALS:
  void opened();
  void stateChanged();
  void groundTruthChanged();

 private:
  QString path_;
  ImageState state_;
  QString ground_truth_path_;
  std::shared_ptr<const restora::Image> ground_truth_;
};

}  // namespace restora::ui
