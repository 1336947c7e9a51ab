target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/network_detection_test.cpp)
