#include "network_checks.h"

#include "checkpoint/checkpoint.h"
#include "nets/blocks/fast_conv2d.h"
#include "nets/network_factory.h"
#include "nets/size_rule.h"
#include "support/conformance.h"
#include "support/tensor_checks.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace restora::test {
namespace {

std::map<std::string, std::vector<int64_t>> registered_shapes(torch::nn::Module& network) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& item : network.named_parameters()) shapes[item.key()] = item.value().sizes().vec();
  for (const auto& item : network.named_buffers()) shapes[item.key()] = item.value().sizes().vec();
  return shapes;
}

}  // namespace

::testing::AssertionResult names_and_shapes_match(torch::nn::Module& network, const nlohmann::json& state_dict_list) {
  auto registered = registered_shapes(network);
  std::ostringstream problems;
  int count = 0;
  for (const auto& entry : state_dict_list) {
    const auto name = entry.at(0).get<std::string>();
    const auto shape = entry.at(1).get<std::vector<int64_t>>();
    const auto it = registered.find(name);
    if (it == registered.end()) {
      if (count++ < 5) problems << " missing " << name << ";";
      continue;
    }
    if (it->second != shape && count++ < 5) problems << " wrong shape for " << name << ";";
    registered.erase(it);
  }
  for (const auto& [name, shape] : registered) {
    if (count++ < 5) problems << " unexpected " << name << ";";
  }
  if (count == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << count << " differences:" << problems.str();
}

int64_t unique_parameter_count(torch::nn::Module& network) {
  std::set<const void*> seen;
  int64_t count = 0;
  for (const auto& parameter : network.parameters()) {
    if (seen.insert(parameter.unsafeGetTensorImpl()).second) count += parameter.numel();
  }
  return count;
}

::testing::AssertionResult keys_share_tensors(torch::nn::Module& network, const nlohmann::json& shared_key_groups) {
  const auto parameters = network.named_parameters();
  for (const auto& group : shared_key_groups) {
    const torch::Tensor* first = parameters.find(group.at(0).get<std::string>());
    if (first == nullptr) return ::testing::AssertionFailure() << "missing " << group.at(0);
    for (const auto& key : group) {
      const torch::Tensor* other = parameters.find(key.get<std::string>());
      if (other == nullptr || !other->is_same(*first)) {
        return ::testing::AssertionFailure() << key << " is not the same tensor as " << group.at(0);
      }
    }
  }
  return ::testing::AssertionSuccess();
}

std::shared_ptr<RestorationNetworkImpl> load_case_network(const ConformanceCase& conformance_case,
                                                          const std::filesystem::path& weights) {
  try {
    auto network = make_network(conformance_case.spec());
    load_state_dict(*network, read_checkpoint(weights).state_dict);
    network->eval();
    return network;
  } catch (const std::exception& error) {
    ADD_FAILURE() << weights << ": " << error.what();
    return nullptr;
  }
}

std::vector<torch::Tensor> check_stages(RestorationNetworkImpl& network, const ConformanceCase& conformance_case,
                                        const torch::Tensor& input, const nlohmann::json& outputs) {
  torch::InferenceMode inference;
  // Both ends of what users can run: direct convolutions only, and Winograd on every layer that
  // has it (the default uses it on large maps only, which these small images never reach).
  ConvPolicy exact, winograd_everywhere;
  exact.algorithm = ConvAlgorithm::exact;
  winograd_everywhere.winograd_min_pixels = 0;
  std::vector<torch::Tensor> stages;
  for (const auto& policy : {exact, winograd_everywhere}) {
    SCOPED_TRACE(policy.algorithm == ConvAlgorithm::exact ? "exact convolutions" : "Winograd everywhere");
    set_conv_policy(network, policy);
    stages = network.forward_stages(input);
    EXPECT_EQ(stages.size(), outputs.size());
    for (const auto& output : outputs) {
      const auto file = output.at("file").get<std::string>();
      const auto index = output.at("index").get<size_t>();
      if (index >= stages.size()) {
        ADD_FAILURE() << "no stage " << index << " for " << file;
        continue;
      }
      EXPECT_TRUE(all_close(stages[index], conformance_case.tensor(file), kParityTolerance))
          << conformance_case.name << " " << file;
      const auto is_final = output.find("final");
      if (is_final != output.end() && *is_final == true) {
        EXPECT_EQ(index, network.final_index()) << file << " is the final output";
      }
    }
  }
  set_conv_policy(network, ConvPolicy());
  return stages;
}

void check_main_case_with_every_checkpoint(const std::string& arch) {
  for (const auto& conformance_case : conformance_cases(arch)) {
    const auto weight_files = conformance_case.weight_files();
    EXPECT_FALSE(weight_files.empty()) << conformance_case.name;
    for (const auto& weights : weight_files) {
      SCOPED_TRACE(conformance_case.name + " " + weights.filename().string());
      const auto network = load_case_network(conformance_case, weights);
      ASSERT_TRUE(network);
      const auto& main = conformance_case.meta.at("cases").at(0);
      check_stages(*network, conformance_case, conformance_case.tensor("input.f32"), main.at("outputs"));
    }
  }
}

void check_second_case(RestorationNetworkImpl& network, const ConformanceCase& conformance_case) {
  const auto& second = conformance_case.meta.at("cases").at(1);
  const std::string kind = second.at("kind");
  const auto input = conformance_case.tensor("input2.f32");
  if (kind == "plain") {
    check_stages(network, conformance_case, input, second.at("outputs"));
    return;
  }
  ASSERT_EQ(kind, "pad") << conformance_case.name;
  const auto padded = pad_to_multiple(input, network.size_multiple());
  EXPECT_TRUE(all_close(padded, conformance_case.tensor("input2_padded.f32"), 0.0));
  const auto stages = check_stages(network, conformance_case, padded, second.at("outputs"));
  ASSERT_FALSE(stages.empty());
  const auto restored = crop_to(stages[network.final_index()], input.size(2), input.size(3));
  EXPECT_TRUE(all_close(restored, conformance_case.tensor("restored2.f32"), kParityTolerance));
}

void check_conformance_case(const ConformanceCase& conformance_case) {
  const auto weight_files = conformance_case.weight_files();
  EXPECT_FALSE(weight_files.empty()) << conformance_case.name << " has no weights";
  for (const auto& weights : weight_files) {
    SCOPED_TRACE(conformance_case.name + " " + weights.filename().string());
    const auto network = load_case_network(conformance_case, weights);
    ASSERT_TRUE(network);
    const auto& main = conformance_case.meta.at("cases").at(0);
    check_stages(*network, conformance_case, conformance_case.tensor("input.f32"), main.at("outputs"));
    check_second_case(*network, conformance_case);
  }
}

::testing::AssertionResult parameters_in_official_order(torch::nn::Module& network, const nlohmann::json& manifest) {
  std::set<std::string> buffers;
  for (const auto& name : manifest.at("buffers")) buffers.insert(name.get<std::string>());
  std::vector<std::string> official;
  for (const auto& entry : manifest.at("state_dict"))
    if (buffers.count(entry.at(0).get<std::string>()) == 0) official.push_back(entry.at(0).get<std::string>());
  std::vector<std::string> registered;
  for (const auto& item : network.named_parameters()) registered.push_back(item.key());
  if (registered == official) return ::testing::AssertionSuccess();
  for (size_t i = 0; i < std::min(registered.size(), official.size()); ++i)
    if (registered[i] != official[i])
      return ::testing::AssertionFailure() << "parameter " << i << " is " << registered[i] << ", officially " << official[i];
  return ::testing::AssertionFailure() << registered.size() << " parameters, officially " << official.size();
}

void check_manifests(const std::string& prefix) {
  const auto manifests = manifest_files(prefix);
  ASSERT_FALSE(manifests.empty()) << "no manifests " << prefix << "*.json";
  // Many manifests (one per yml) share a configuration: build each configuration once.
  std::map<std::string, std::shared_ptr<RestorationNetworkImpl>> built;
  for (const auto& path : manifests) {
    SCOPED_TRACE(path.filename().string());
    const auto manifest = load_json(path);
    ASSERT_FALSE(manifest.is_null());
    const auto network_class = manifest.at("class").get<std::string>();
    auto& network = built[network_class + manifest.at("constructor_args").dump()];
    if (!network) network = make_network({network_class, args_from_json(manifest.at("constructor_args"))});
    EXPECT_TRUE(names_and_shapes_match(*network, manifest.at("state_dict")));
    EXPECT_TRUE(parameters_in_official_order(*network, manifest));
    EXPECT_EQ(network->named_parameters().size() + network->named_buffers().size(), manifest.at("num_keys").get<size_t>());
    EXPECT_EQ(unique_parameter_count(*network), manifest.at("num_parameters_unique").get<int64_t>());
    EXPECT_TRUE(keys_share_tensors(*network, manifest.at("shared_key_groups")));
  }
}

}  // namespace restora::test
