target_sources(core_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint_conformance_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint_bad_input_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checkpoint_writer_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/load_state_dict_test.cpp)
target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/network_detection_test.cpp)
