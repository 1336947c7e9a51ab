target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/official_configs_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fused_conv_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bf16_conformance_test.cpp)

# MPRNet, HINet and their blocks
target_sources(core_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/network_checks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hinet_grids.cpp
  ${CMAKE_CURRENT_LIST_DIR}/conv_transpose_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mprnet_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hinet_test.cpp)
# MIRNet and MIRNet-v2
target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/mirnet_test.cpp)
target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/mirnet_v2_test.cpp)
# Convolutions through oneDNN (FastConv2d) and Winograd on whole networks
target_sources(core_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/fast_conv2d_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/winograd_networks_test.cpp)
# SSEN and its blocks
target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/deform_conv_test.cpp)
target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/ssen_test.cpp ${CMAKE_CURRENT_LIST_DIR}/match_prior_test.cpp)
target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/ssen_where_it_looked_test.cpp)
