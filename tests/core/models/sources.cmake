target_sources(core_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/bundled_models_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_registry_test.cpp)
