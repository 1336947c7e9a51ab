#include "checkpoint/checkpoint.h"
#include "common/error.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

struct TinyImpl : torch::nn::Module {
  TinyImpl() {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(2, 3, 3)));
    filt = register_buffer("filt", torch::zeros({3, 1, 3, 3}));
  }
  torch::nn::Conv2d conv{nullptr};
  torch::Tensor filt;
};
TORCH_MODULE(Tiny);

StateDict matching_state_dict() {
  StateDict sd;
  sd.insert("conv.weight", torch::arange(54, torch::kFloat).reshape({3, 2, 3, 3}));
  sd.insert("conv.bias", torch::tensor({1.0f, 2.0f, 3.0f}));
  sd.insert("filt", torch::full({3, 1, 3, 3}, 0.5, torch::kDouble));
  return sd;
}

std::string load_error(Tiny& net, const StateDict& sd) {
  try {
    load_state_dict(*net, sd);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    return e.what();
  }
  return "";
}

TEST(LoadStateDict, CopiesParametersAndBuffersConvertingTheDtype) {
  Tiny net;
  const StateDict sd = matching_state_dict();
  load_state_dict(*net, sd);
  EXPECT_TRUE(torch::equal(net->conv->weight, *sd.find("conv.weight")));
  EXPECT_TRUE(torch::equal(net->conv->bias, *sd.find("conv.bias")));
  EXPECT_TRUE(torch::equal(net->filt, torch::full({3, 1, 3, 3}, 0.5f)));
  EXPECT_TRUE(net->conv->weight.requires_grad());
  // Copied, not aliased: the network owns its memory.
  EXPECT_NE(net->conv->weight.data_ptr(), sd.find("conv.weight")->data_ptr());
}

TEST(LoadStateDict, ListsMissingUnexpectedAndMismatchedKeysWithCounts) {
  Tiny net;
  const auto before = net->conv->weight.clone();
  StateDict sd;
  sd.insert("conv.weight", torch::zeros({3, 2, 5, 5}));
  sd.insert("extra.a", torch::zeros({1}));
  sd.insert("extra.b", torch::zeros({1}));
  const std::string message = load_error(net, sd);
  EXPECT_NE(message.find("2 missing (conv.bias, filt)"), std::string::npos) << message;
  EXPECT_NE(message.find("2 unexpected (extra.a, extra.b)"), std::string::npos) << message;
  EXPECT_NE(message.find("1 with a different shape (conv.weight: file [3, 2, 5, 5] vs network [3, 2, 3, 3])"),
            std::string::npos)
      << message;
  EXPECT_TRUE(torch::equal(net->conv->weight, before)) << "nothing may be copied when the check fails";
}

TEST(LoadStateDict, ShowsOnlyTheFirstFewNamesOfALongList) {
  Tiny net;
  StateDict sd = matching_state_dict();
  for (int i = 0; i < 12; ++i) sd.insert("junk." + std::to_string(i), torch::zeros({1}));
  const std::string message = load_error(net, sd);
  EXPECT_NE(message.find("12 unexpected (junk.0, junk.1, junk.2, junk.3, junk.4, ...)"), std::string::npos) << message;
  EXPECT_EQ(message.find("junk.5"), std::string::npos) << message;
}

TEST(StateDictMap, InsertReplacesAnExistingNameInPlaceAndKeepsOrder) {
  StateDict sd;
  sd.insert("b", torch::zeros({1}));
  sd.insert("a", torch::zeros({2}));
  sd.insert("b", torch::zeros({3}));
  ASSERT_EQ(sd.size(), 2u);
  EXPECT_EQ(sd.entries()[0].first, "b");
  EXPECT_EQ(sd.find("b")->size(0), 3);
  const auto infos = tensor_infos(sd);
  EXPECT_EQ(infos[1].name, "a");
  EXPECT_EQ(infos[1].shape, std::vector<int64_t>{2});
  EXPECT_FALSE(sd.contains("c"));
}

}  // namespace
}  // namespace restora
