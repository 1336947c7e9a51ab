#include "mirnet_test_support.h"

#include "checkpoint/checkpoint.h"
#include "nets/network_factory.h"
#include "nets/size_rule.h"
#include "support/tensor_checks.h"

#include <torch/torch.h>

#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace restora::test {
namespace {

using Shapes = std::map<std::string, std::vector<int64_t>>;

std::string describe_differences(const Shapes& expected, const Shapes& actual) {
  std::ostringstream out;
  int shown = 0;
  for (const auto& [name, shape] : expected) {
    const auto it = actual.find(name);
    if (it == actual.end()) {
      if (shown++ < 5) out << " missing " << name << ";";
    } else if (it->second != shape) {
      if (shown++ < 5) out << " shape of " << name << " is " << c10::IntArrayRef(it->second) << ";";
    }
  }
  for (const auto& entry : actual)
    if (expected.count(entry.first) == 0 && shown++ < 5) out << " unexpected " << entry.first << ";";
  return out.str();
}

}  // namespace

::testing::AssertionResult matches_manifest(const std::filesystem::path& manifest_path) {
  const nlohmann::json manifest = load_json(manifest_path);
  if (manifest.is_null()) return ::testing::AssertionFailure() << "unreadable " << manifest_path;
  const auto network = make_network(NetworkSpec{manifest.at("class"), args_from_json(manifest.at("constructor_args"))});

  const std::set<std::string> buffers = manifest.at("buffers").get<std::set<std::string>>();
  Shapes expected;
  std::vector<std::string> expected_parameter_order;
  for (const auto& entry : manifest.at("state_dict")) {
    const std::string name = entry.at(0);
    expected[name] = entry.at(1).get<std::vector<int64_t>>();
    if (buffers.count(name) == 0) expected_parameter_order.push_back(name);
  }

  Shapes actual;
  std::vector<std::string> parameter_order;
  std::set<const void*> unique;
  int64_t unique_count = 0;
  for (const auto& item : network->named_parameters()) {
    actual[item.key()] = item.value().sizes().vec();
    parameter_order.push_back(item.key());
    if (unique.insert(item.value().unsafeGetTensorImpl()).second) unique_count += item.value().numel();
  }
  for (const auto& item : network->named_buffers()) actual[item.key()] = item.value().sizes().vec();

  if (actual != expected)
    return ::testing::AssertionFailure() << manifest_path.filename() << ": " << actual.size() << " registered vs "
                                         << expected.size() << " official keys;" << describe_differences(expected, actual);
  if (parameter_order != expected_parameter_order)
    return ::testing::AssertionFailure() << manifest_path.filename() << ": parameters are not in the official order";
  if (unique_count != manifest.at("num_parameters_unique").get<int64_t>())
    return ::testing::AssertionFailure() << manifest_path.filename() << ": " << unique_count << " unique parameters, official "
                                         << manifest.at("num_parameters_unique");

  std::map<std::string, torch::Tensor> tensors;
  for (const auto& item : network->named_parameters()) tensors[item.key()] = item.value();
  for (const auto& item : network->named_buffers()) tensors[item.key()] = item.value();
  for (const auto& group : manifest.at("shared_key_groups")) {
    const torch::Tensor& first = tensors.at(group.at(0).get<std::string>());
    for (const auto& key : group)
      if (!tensors.at(key.get<std::string>()).is_same(first))
        return ::testing::AssertionFailure() << manifest_path.filename() << ": " << key << " is not the same tensor as "
                                             << group.at(0);
  }
  return ::testing::AssertionSuccess() << manifest_path.filename() << " matches";
}

void expect_conformance(const ConformanceCase& conformance_case, double tolerance) {
  const auto weight_files = conformance_case.weight_files();
  ASSERT_FALSE(weight_files.empty()) << conformance_case.name << " has no weights";
  const nlohmann::json& second = conformance_case.meta.at("cases").at(1);
  const std::string kind = second.at("kind");
  ASSERT_TRUE(kind == "plain" || kind == "pad") << conformance_case.name << ": second case kind " << kind;

  for (const auto& weights : weight_files) {
    SCOPED_TRACE(conformance_case.name + " " + weights.filename().string());
    const auto network = make_network(conformance_case.spec());
    load_state_dict(*network, read_checkpoint(weights).state_dict);
    torch::InferenceMode inference;

    EXPECT_TRUE(all_close(network->forward(conformance_case.tensor("input.f32")),
                          conformance_case.tensor("output_0.f32"), tolerance));

    const torch::Tensor input2 = conformance_case.tensor("input2.f32");
    if (kind == "plain") {
      EXPECT_TRUE(all_close(network->forward(input2), conformance_case.tensor("output2_0.f32"), tolerance));
      continue;
    }
    const torch::Tensor padded = pad_to_multiple(input2, network->size_multiple());
    EXPECT_TRUE(all_close(padded, conformance_case.tensor("input2_padded.f32"), 0.0));
    const torch::Tensor output2 = network->forward(padded);
    EXPECT_TRUE(all_close(output2, conformance_case.tensor("output2_0.f32"), tolerance));
    EXPECT_TRUE(all_close(crop_to(output2, input2.size(2), input2.size(3)), conformance_case.tensor("restored2.f32"),
                          tolerance));
  }
}

}  // namespace restora::test
