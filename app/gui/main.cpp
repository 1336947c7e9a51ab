// restora: the desktop application.
#include "main_window.h"
#include "startup_options.h"
#include "runtime/threads.h"
#include "runtime/version.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstring>
#include <iostream>

namespace {

// Answered before any QApplication exists, so that they work without a display.
bool handle_early_options(int argc, char** argv, int* exit_code) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-V") == 0) {
      std::cout << restora::version_report("restora");
      *exit_code = 0;
      return true;
    }
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << "usage: restora [--version] [--help] [--threads N] [Qt options] [PHOTO]\n\n"
                   "The Restora desktop application; PHOTO is opened at start. restora-cli runs the same jobs\n"
                   "headless.\n";
      *exit_code = 0;
      return true;
    }
  }
  return false;
}

int threads_option(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--threads") == 0) return std::atoi(argv[i + 1]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  restora::configure_threads(threads_option(argc, argv));
  int exit_code = 0;
  if (handle_early_options(argc, argv, &exit_code)) return exit_code;

  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Restora"));
  QApplication::setOrganizationName(QStringLiteral("Restora"));
  QApplication::setApplicationVersion(QString::fromStdString(restora::version()));

  QTranslator translator;
  if (translator.load(QLocale(), QStringLiteral("restora"), QStringLiteral("_"), QStringLiteral(":/i18n")))
    QApplication::installTranslator(&translator);

  const restora::ui::StartupOptions options = restora::ui::parseStartupArguments(QApplication::arguments());
  if (!options.error.isEmpty()) {
    std::cerr << "restora: " << options.error.toStdString() << "\n";
    return 2;
  }
  restora::ui::MainWindow window;
  window.show();
  if (!options.photo.isEmpty()) window.openPhoto(options.photo);
  return QApplication::exec();
}
