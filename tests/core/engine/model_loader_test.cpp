#include "engine/model_loader.h"

#include "common/error.h"
#include "support/shared_data.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

std::filesystem::path hinet_weights() { return test::shared_path("conformance/hinet/tiny_a/weights.pth"); }

bool mentions(const std::vector<std::string>& notes, const std::string& text) {
  for (const auto& note : notes)
    if (note.find(text) != std::string::npos) return true;
  return false;
}

TEST(ModelLoader, NamesEveryConstructorArgumentItAssumedADefaultFor) {
  ModelRequest request;
  request.weights = hinet_weights();
  const LoadedModel model = load_model(request);
  EXPECT_TRUE(mentions(model.notes, "assumed relu_slope=0.2")) << ::testing::PrintToString(model.notes);
}

TEST(ModelLoader, NetArgChangesTheNetworkAndSilencesTheNote) {
  ModelRequest request;
  request.weights = hinet_weights();
  const LoadedModel defaults = load_model(request);
  request.net_args = {{"relu_slope", "0.05"}};
  const LoadedModel changed = load_model(request);
  EXPECT_FALSE(mentions(changed.notes, "relu_slope")) << ::testing::PrintToString(changed.notes);
  EXPECT_EQ(std::get<double>(changed.detection.spec.args.at("relu_slope")), 0.05);
  c10::InferenceMode inference;
  torch::manual_seed(1);
  const auto input = torch::rand({1, 3, 32, 32});
  EXPECT_GT(test::max_abs_diff(defaults.network->forward(input), changed.network->forward(input)), 1e-4);
}

TEST(ModelLoader, NetArgRefusesWhatTheWeightsDetermineAndUnknownNames) {
  ModelRequest request;
  request.weights = hinet_weights();
  for (const auto& arg : std::vector<std::pair<std::string, std::string>>{
           {"wf", "16"}, {"no_such_arg", "1"}, {"relu_slope", "steep"}}) {
    request.net_args = {arg};
    try {
      load_model(request);
      ADD_FAILURE() << arg.first << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::BadUsage);
      EXPECT_NE(std::string(error.what()).find(arg.first), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace restora
