target_sources(core_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/image_test.cpp)
