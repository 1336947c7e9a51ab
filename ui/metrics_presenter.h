#pragma once
#include <QObject>
#include <QRect>
#include <QString>

#include <memory>

namespace restora {
struct Image;
}

namespace restora::ui {

class CompareView;
class PhotoDocument;

/// PSNR and SSIM of one comparison, from core/metrics (the functions restora-cli eval uses):
/// RGB, no border crop, pictures on [0, 1].
struct MetricPair {
  bool valid = false;
  double psnr = 0.0;  ///< dB; +infinity for identical pictures
  double ssim = 0.0;
  QString note;       ///< why there is no value (sizes differ, region too small)
};

struct MetricsReport {
  MetricPair whole_vs_before, visible_vs_before;
  MetricPair whole_vs_truth, visible_vs_truth;
  bool has_truth = false;
  QRect visible;  ///< the region the visible-part figures are about, in after pixels
};

/// Measures after vs before (and vs the ground truth when loaded) for the whole picture and for
/// the part the compare view shows, off the GUI thread, and writes the lines of the overlay. At
/// most one job per kind runs; a change while it runs starts one more when it ends.
class MetricsPresenter : public QObject {
  Q_OBJECT

 public:
  MetricsPresenter(PhotoDocument* document, CompareView* view, QObject* parent = nullptr);

  const MetricsReport& report() const { return report_; }
  /// No job running and none waiting: report() is up to date with the view.
  bool isIdle() const;

  /// The comparison as measured (restored vs reference, inside `region`); exposed for tests.
  static MetricPair measure(const restora::Image& restored, const restora::Image& reference, const QRect& region);

 Q_SIGNALS:
  void updated();

 private:
  struct Job {
    bool running = false;
    bool again = false;
  };
  void requestWhole();
  void requestVisible();
  void startWhole();
  void startVisible();
  void show();

  PhotoDocument* document_;
  CompareView* view_;
  MetricsReport report_;
  Job whole_;
  Job visible_;
};

}  // namespace restora::ui
