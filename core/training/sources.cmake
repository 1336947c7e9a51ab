target_sources(restora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/baselines.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_source.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blur_kernels.cpp
  ${CMAKE_CURRENT_LIST_DIR}/degradation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/evaluation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kernel_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/losses.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matlab_resize.cpp
  ${CMAKE_CURRENT_LIST_DIR}/optimizer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/photo_dataset.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_state.cpp
  ${CMAKE_CURRENT_LIST_DIR}/synthetic_reference.cpp
  ${CMAKE_CURRENT_LIST_DIR}/train_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trainer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/training_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/validation.cpp)
