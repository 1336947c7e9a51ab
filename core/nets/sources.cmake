target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/network_spec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network_factory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/size_rule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/conv_transpose.cpp)
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
