target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/network_spec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/size_rule.cpp)
