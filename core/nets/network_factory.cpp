#include "nets/network_factory.h"

#include "common/error.h"
#include "nets/hinet.h"
#include "nets/mprnet.h"
#include "nets/mirnet.h"
#include "nets/mirnet_v2.h"
#include "nets/ssen.h"

namespace restora {

std::shared_ptr<RestorationNetworkImpl> make_network(const NetworkSpec& spec) {
  // Each network adds one line here: if (spec.network == "X") return make_x(spec.args);
  if (spec.network == "MPRNet") return make_mprnet(spec.args);
  if (spec.network == "HINet") return make_hinet(spec.args);
  if (spec.network == "MIRNet") return make_mirnet(spec.args);
  if (spec.network == "MIRNet_v2") return make_mirnet_v2(spec.args);
  if (spec.network == "SSEN") return make_ssen(spec.args);
  throw Error(ErrorKind::BadInput, "unknown network '" + spec.network + "'");
}

}  // namespace restora
