# Subcommands of restora-cli, one file each (they register themselves), and the option groups they share.
target_sources(restora-cli PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/file_options.cpp
  ${CMAKE_CURRENT_LIST_DIR}/inspect_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/restore_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bench_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tiling_study_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/train_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/eval_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/looked_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/models_command.cpp)
