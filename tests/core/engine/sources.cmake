target_sources(core_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/size_rule_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/precision_probe_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/restorer_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tile_plan_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tiled_stage_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/job_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory_budget_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_loader_test.cpp)
