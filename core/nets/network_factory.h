#pragma once
#include "nets/network_spec.h"
#include "nets/restoration_network.h"

#include <memory>

namespace restora {

/// Builds the network a spec names, with its constructor arguments (official names and
/// defaults). Throws restora::Error(BadInput) for an unknown network or invalid arguments.
std::shared_ptr<RestorationNetworkImpl> make_network(const NetworkSpec& spec);

}  // namespace restora
