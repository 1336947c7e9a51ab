#include "ui_test_support.h"

#include "support/shared_data.h"

#include "io/image.h"
#include "io/image_file.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <torch/torch.h>

namespace restora::test {

bool waitUntil(const std::function<bool()>& done, int seconds) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.elapsed() > seconds * 1000) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(2);
  }
  return true;
}

QString writeTestPhoto(const QString& name, int width, int height) {
  const auto y = torch::linspace(0.0, 1.0, height).view({1, 1, height, 1});
  const auto x = torch::linspace(0.0, 1.0, width).view({1, 1, 1, width});
  const auto red = (x * 0.8 + 0.1).expand({1, 1, height, width});
  const auto green = (y * 0.7 + 0.2).expand({1, 1, height, width});
  const auto blue = ((x * 7.0).floor().remainder(2.0) * 0.5 + y * 0.3).expand({1, 1, height, width});
  const restora::Image image = image_from_rgb_tensor(torch::cat({red, green, blue}, 1).contiguous(), 8);
  const auto path = make_temp_dir("ui-" + name.toStdString()) / (name.toStdString() + ".png");
  write_image(path, image);
  return QString::fromStdString(path.string());
}

QString tinyHinetWeights() { return QString::fromStdString(shared_path("conformance/hinet/tiny_a/weights.pth").string()); }

}  // namespace restora::test
