#pragma once
#include <QString>

#include <functional>

namespace restora {
struct Image;
}

namespace restora::test {

/// Processes events until `done` holds; false after a generous deadline (a hang, not a timing
/// assumption: what the tests check never depends on how long the work took).
bool waitUntil(const std::function<bool()>& done, int seconds = 120);

/// Writes a deterministic 8-bit RGB PNG (smooth colour ramps with edges) of that size into a fresh
/// temporary folder named after `name`, through core/io; returns its path.
QString writeTestPhoto(const QString& name, int width, int height);

/// The tiny conformance HINet checkpoint in ../shared (fails the test when it is missing).
QString tinyHinetWeights();

}  // namespace restora::test
