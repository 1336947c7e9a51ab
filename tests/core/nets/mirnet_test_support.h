#pragma once
#include "nets/restoration_network.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace restora::test {

/// The network built from an official manifest (manifests/<arch>_<task>.json) registers exactly
/// the manifest's state-dict names with its shapes (parameters in the official order), every
/// official shared-key group is one tensor, and the unique parameter count matches.
::testing::AssertionResult matches_manifest(const std::filesystem::path& manifest);

}  // namespace restora::test
