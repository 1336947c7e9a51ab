// ui_tests main: one QApplication for every test (run with QT_QPA_PLATFORM=offscreen).
#include <QApplication>
#include <QStandardPaths>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Also when CTest lists the tests (discovery does not get the tests' environment).
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  // Settings and caches of the tests never touch the user's own (~/.qttest instead).
  QStandardPaths::setTestModeEnabled(true);
  QApplication::setOrganizationName(QStringLiteral("RestoraTests"));
  QApplication::setApplicationName(QStringLiteral("ui_tests"));
  return RUN_ALL_TESTS();
}
