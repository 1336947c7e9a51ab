#pragma once
// Icons for actions: the desktop theme's icon where the theme has one, else our own in
// resources/icons/ (Qt 6.4 has no QIcon::ThemeIcon), drawn in the palette's text colour when
// painted, so they read on light and dark palettes alike and follow a palette change.
#include <QIcon>
#include <QStringList>

namespace restora::ui {

// `name` is a freedesktop icon name; resources/icons/NAME.svg must exist.
QIcon themedIcon(const QString& name);

// Our own icon, never the theme's (tests, and names no theme has).
QIcon bundledIcon(const QString& name);

// Names of every icon in resources/icons/.
QStringList bundledIconNames();

}  // namespace restora::ui
