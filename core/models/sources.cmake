target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/model_registry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sha256.cpp)
# The source tree's bundled models, where a build that is not installed finds them.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/model_registry.cpp PROPERTIES
  COMPILE_DEFINITIONS "RESTORA_SOURCE_MODELS_DIR=\"${PROJECT_SOURCE_DIR}/resources/models\"")
