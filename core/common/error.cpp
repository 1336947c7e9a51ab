#include "common/error.h"

namespace restora {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::BadUsage:
    case ErrorKind::BadInput:
      return 2;
    case ErrorKind::Failed:
      return 1;
  }
  return 1;
}

}  // namespace restora
