#pragma once
#include "nets/restoration_network.h"
#include "support/conformance.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace restora::test {

/// The network built from an official manifest (manifests/<arch>_<task>.json) registers exactly
/// the manifest's state-dict names with its shapes (parameters in the official order), every
/// official shared-key group is one tensor, and the unique parameter count matches.
::testing::AssertionResult matches_manifest(const std::filesystem::path& manifest);

/// Every weights*.pth of a conformance case, read with read_checkpoint and loaded with
/// load_state_dict into the network its meta.json describes, reproduces output_0.f32 from
/// input.f32 and the second case ("plain": input2 -> output2_0 at another size; "pad":
/// pad_to_multiple(input2) == input2_padded -> output2_0, cropped == restored2) within `tolerance`.
void expect_conformance(const ConformanceCase& conformance_case, double tolerance);

}  // namespace restora::test
