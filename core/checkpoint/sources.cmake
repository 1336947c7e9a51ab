target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/network_detection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network_detection_args.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network_detection_layouts.cpp)
