#pragma once
#include <QStringList>
#include <QWidget>

namespace restora::ui {

/// The small translucent box over the compare view with PSNR and SSIM lines. It only shows text;
/// MetricsPresenter computes what goes in it. Mouse input passes through to the pane below.
class MetricsOverlay : public QWidget {
  Q_OBJECT

 public:
  explicit MetricsOverlay(QWidget* parent = nullptr);

  void setLines(const QStringList& lines);
  QStringList lines() const { return lines_; }
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QStringList lines_;
};

}  // namespace restora::ui
