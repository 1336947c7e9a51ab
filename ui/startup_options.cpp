#include "startup_options.h"

#include <QCoreApplication>

namespace restora::ui {

StartupOptions parseStartupArguments(const QStringList& arguments) {
  StartupOptions options;
  for (int i = 1; i < arguments.size(); ++i) {
    const QString& argument = arguments[i];
    if (argument == QLatin1String("--threads")) {
      ++i;  // its value was applied before the QApplication existed
    } else if (argument.startsWith(QLatin1Char('-')) && argument != QLatin1String("-")) {
      options.error = QCoreApplication::translate("StartupOptions", "unknown option '%1' (see restora --help)").arg(argument);
    } else if (options.photo.isEmpty()) {
      options.photo = argument;
    } else {
      options.error = QCoreApplication::translate("StartupOptions", "only one photo can be opened at a time ('%1' is extra)").arg(argument);
    }
  }
  return options;
}

}  // namespace restora::ui
