#include "metrics_presenter.h"

#include "background.h"
#include "compare_view.h"
#include "image_convert.h"
#include "metrics_overlay.h"
#include "photo_document.h"
#include "view_controller.h"

#include "io/image.h"
#include "metrics/metrics.h"

#include <torch/torch.h>

#include <cmath>

namespace restora::ui {
namespace {

constexpr int kSsimWindow = 11;  // core/metrics' SSIM needs at least this many pixels per side

torch::Tensor region_of(const restora::Image& image, const QRect& region) {
  return rgb_tensor(image, cv::Rect(region.x(), region.y(), region.width(), region.height()));
}

QString describe(const MetricPair& pair) {
  if (!pair.valid) return pair.note;
  const QString psnr = std::isinf(pair.psnr) ? MetricsPresenter::tr("∞ dB (identical)")
                                             : MetricsPresenter::tr("%1 dB").arg(pair.psnr, 0, 'f', 2);
  return MetricsPresenter::tr("PSNR %1, SSIM %2").arg(psnr).arg(pair.ssim, 0, 'f', 4);
}

struct Pictures {
  std::shared_ptr<const restora::Image> after, before, truth;
};

}  // namespace

MetricsPresenter::MetricsPresenter(PhotoDocument* document, CompareView* view, QObject* parent)
    : QObject(parent), document_(document), view_(view) {
  connect(document_, &PhotoDocument::stateChanged, this, &MetricsPresenter::requestWhole);
  connect(document_, &PhotoDocument::groundTruthChanged, this, &MetricsPresenter::requestWhole);
  connect(view_->controller(), &ViewController::changed, this, &MetricsPresenter::requestVisible);
}

bool MetricsPresenter::isIdle() const { return !whole_.running && !whole_.again && !visible_.running && !visible_.again; }

MetricPair MetricsPresenter::measure(const restora::Image& restored, const restora::Image& reference, const QRect& region) {
  MetricPair pair;
  if (imageSize(restored) != imageSize(reference)) {
    const QSize a = imageSize(restored);
    const QSize b = imageSize(reference);
    pair.note = tr("sizes differ (%1 × %2 and %3 × %4)").arg(a.width()).arg(a.height()).arg(b.width()).arg(b.height());
    return pair;
  }
  if (region.width() < kSsimWindow || region.height() < kSsimWindow) {
    pair.note = tr("region too small to measure");
    return pair;
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor a = region_of(restored, region);
  const torch::Tensor b = region_of(reference, region);
  pair.psnr = psnr(a, b);
  pair.ssim = ssim(a, b);
  pair.valid = true;
  return pair;
}

void MetricsPresenter::requestWhole() {
  whole_.again = true;
  if (!whole_.running) startWhole();
  requestVisible();
}

void MetricsPresenter::requestVisible() {
  visible_.again = true;
  if (!visible_.running) startVisible();
}

void MetricsPresenter::startWhole() {
  whole_.again = false;
  if (!document_->hasPhoto()) return;
  whole_.running = true;
  const Pictures pictures{document_->state().after, document_->state().before, document_->groundTruth()};
  using Result = std::pair<MetricPair, MetricPair>;
  runInBackground<Result>(
      this,
      [pictures]() {
        const QRect all(QPoint(0, 0), imageSize(*pictures.after));
        Result result{measure(*pictures.after, *pictures.before, all), {}};
        if (pictures.truth) result.second = measure(*pictures.after, *pictures.truth, all);
        return result;
      },
      [this, has_truth = bool(pictures.truth)](const Outcome<Result>& outcome) {
        whole_.running = false;
        if (whole_.again) {
          startWhole();  // the pictures changed meanwhile: this result is stale
          return;
        }
        report_.has_truth = has_truth;
        report_.whole_vs_before = outcome.value ? outcome.value->first : MetricPair{false, 0, 0, outcome.error};
        report_.whole_vs_truth = outcome.value ? outcome.value->second : MetricPair{false, 0, 0, outcome.error};
        show();
      });
}

void MetricsPresenter::startVisible() {
  visible_.again = false;
  if (!document_->hasPhoto()) return;
  const QRect region = view_->controller()->visiblePixelRect();
  if (region.isEmpty()) return;
  visible_.running = true;
  const Pictures pictures{document_->state().after, document_->state().before, document_->groundTruth()};
  using Result = std::pair<MetricPair, MetricPair>;
  runInBackground<Result>(
      this,
      [pictures, region]() {
        Result result{measure(*pictures.after, *pictures.before, region), {}};
        if (pictures.truth) result.second = measure(*pictures.after, *pictures.truth, region);
        return result;
      },
      [this, region](const Outcome<Result>& outcome) {
        visible_.running = false;
        if (visible_.again) {
          startVisible();
          return;
        }
        report_.visible = region;
        report_.visible_vs_before = outcome.value ? outcome.value->first : MetricPair{false, 0, 0, outcome.error};
        report_.visible_vs_truth = outcome.value ? outcome.value->second : MetricPair{false, 0, 0, outcome.error};
        show();
      });
}

void MetricsPresenter::show() {
  QStringList lines;
  lines << tr("After vs before — whole: %1").arg(describe(report_.whole_vs_before));
  lines << tr("    visible %1 × %2: %3")
               .arg(report_.visible.width())
               .arg(report_.visible.height())
               .arg(describe(report_.visible_vs_before));
  if (report_.has_truth) {
    lines << tr("After vs ground truth — whole: %1").arg(describe(report_.whole_vs_truth));
    lines << tr("    visible: %1").arg(describe(report_.visible_vs_truth));
  }
  view_->overlay()->setLines(lines);
  if (isIdle()) Q_EMIT updated();
}

}  // namespace restora::ui
