#include "network_checks.h"

#include "checkpoint/checkpoint.h"
#include "nets/network_factory.h"
#include "support/conformance.h"
#include "support/tensor_checks.h"

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
  auto stages = network.forward_stages(input);
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
  return stages;
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
    EXPECT_EQ(network->named_parameters().size() + network->named_buffers().size(), manifest.at("num_keys").get<size_t>());
    EXPECT_EQ(unique_parameter_count(*network), manifest.at("num_parameters_unique").get<int64_t>());
    EXPECT_TRUE(keys_share_tensors(*network, manifest.at("shared_key_groups")));
  }
}

}  // namespace restora::test
