target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/restorer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/benchmark.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_loader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tile_plan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tile_source.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tiled_stage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory_budget.cpp
  ${CMAKE_CURRENT_LIST_DIR}/job.cpp
  ${CMAKE_CURRENT_LIST_DIR}/precision_probe.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tiling_study.cpp)
