target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/network_spec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network_factory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/size_rule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/conv_transpose.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/fast_conv2d.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/fused_conv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/onednn_conv.cpp)
target_sources(restora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/official_configs.cpp)

# MPRNet, HINet and their blocks
target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/blocks/bilinear.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/channel_attention.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/sam.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/unet_conv_block.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mprnet_stages.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mprnet.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hinet.cpp)
# MIRNet and MIRNet-v2
target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/mirnet.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mirnet_msrb.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mirnet_v2.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mirnet_v2_mrb.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/mirnet_dau.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/mirnet_resample.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/mirnet_skff.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/mirnet_v2_rcb.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/mirnet_v2_resample.cpp)
# SSEN and its blocks (deformable convolution, non-local block)
target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/blocks/deform_conv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/match_prior.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/nonlocal_block.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/offset_estimator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/residual_block.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ssen.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ssen_where_it_looked.cpp)
