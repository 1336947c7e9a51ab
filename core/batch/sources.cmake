target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/batch_plan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_runner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_restore.cpp)
