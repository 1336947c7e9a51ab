target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/restorer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/benchmark.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_loader.cpp)
