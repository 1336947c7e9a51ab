target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/network_spec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network_factory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/size_rule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocks/conv_transpose.cpp)
target_sources(restora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/official_configs.cpp)
