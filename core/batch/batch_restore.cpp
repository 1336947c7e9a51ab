#include "batch/batch_restore.h"

namespace restora {

ImageRestoreFunction batch_restorer(Restorer& restorer) {
  return [&restorer](const Image& input, const std::atomic<bool>* cancel) {
    return restore_image(restorer, input, {}, {}, cancel);
  };
}

}  // namespace restora
