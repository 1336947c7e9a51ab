find_package(ZLIB REQUIRED)
target_link_libraries(restora_core PRIVATE ZLIB::ZLIB)
target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/byte_source.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pickle_value.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pickle_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/torch_globals.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unpickler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unpickler_torch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/zip_archive.cpp
  ${CMAKE_CURRENT_LIST_DIR}/torch_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/state_dict.cpp)
target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/pickle_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/zip_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint_writer.cpp)
target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/network_detection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network_detection_args.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network_detection_layouts.cpp)
