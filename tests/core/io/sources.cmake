target_sources(core_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/test_images.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_file_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tiff_gray_alpha_test.cpp)
