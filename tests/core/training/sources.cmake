target_sources(core_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/baselines_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/degradation_files_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/evaluation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/training_parts_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trainer_test.cpp)
