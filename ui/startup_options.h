#pragma once
#include <QString>
#include <QStringList>

namespace restora::ui {

/// What `restora [--threads N] [PHOTO]` asks for once Qt has taken its own options out.
struct StartupOptions {
  QString photo;     ///< empty: start with the first-run hint
  QString error;     ///< a one-line reason when the arguments are unusable
};

/// `arguments` as QCoreApplication::arguments() gives them (the program name first).
StartupOptions parseStartupArguments(const QStringList& arguments);

}  // namespace restora::ui
