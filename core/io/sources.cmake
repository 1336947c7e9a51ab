target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/image.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/jpeg_decoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/png_gray_alpha.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tiff_gray_alpha.cpp
  ${CMAKE_CURRENT_LIST_DIR}/metadata.cpp)
