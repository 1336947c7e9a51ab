target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/image.cpp)
