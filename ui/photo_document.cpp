#include "photo_document.h"

namespace restora::ui {

PhotoDocument::PhotoDocument(QObject* parent) : QObject(parent) {}

void PhotoDocument::open(const QString& path, ImageState state) {
  path_ = path;
  ground_truth_.reset();
  ground_truth_path_.clear();
  state_ = std::move(state);
  Q_EMIT opened();
  Q_EMIT groundTruthChanged();
  Q_EMIT stateChanged();
}

void PhotoDocument::setState(ImageState state) {
  state_ = std::move(state);
  Q_EMIT stateChanged();
}

void PhotoDocument::setGroundTruth(const QString& path, std::shared_ptr<const restora::Image> image) {
  ground_truth_path_ = path;
  ground_truth_ = std::move(image);
  Q_EMIT groundTruthChanged();
}

}  // namespace restora::ui
