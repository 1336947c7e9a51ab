target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/official_configs_test.cpp)
# MIRNet and MIRNet-v2
target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/mirnet_test_support.cpp)
target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/mirnet_test.cpp)
target_sources(core_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/mirnet_v2_test.cpp)
