target_sources(core_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/size_rule_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/restorer_test.cpp)
