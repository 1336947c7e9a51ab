// Precompiled header of restora_core (see core/CMakeLists.txt). Heavy, stable third-party headers only.
#pragma once
#include <torch/torch.h>
#include <opencv2/core.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>
