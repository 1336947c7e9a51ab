target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/official_configs_test.cpp)
