#pragma once
#include "batch/batch_runner.h"
#include "engine/restorer.h"

namespace restora {

/// The batch's per-image restoration: the whole-image path of core/engine (restore_image) for
/// now; the one place to switch to the engine's job API (tiles, memory budget) when it lands.
/// `restorer` must outlive the returned function; one image at a time.
ImageRestoreFunction batch_restorer(Restorer& restorer);

}  // namespace restora
