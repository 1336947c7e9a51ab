# restora_ui sources: one class per file pair.
target_sources(restora_ui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/background.cpp ${CMAKE_CURRENT_LIST_DIR}/background.h
  ${CMAKE_CURRENT_LIST_DIR}/compare_view.cpp ${CMAKE_CURRENT_LIST_DIR}/compare_view.h
  ${CMAKE_CURRENT_LIST_DIR}/heat_map.cpp ${CMAKE_CURRENT_LIST_DIR}/heat_map.h
  ${CMAKE_CURRENT_LIST_DIR}/history_budget.cpp ${CMAKE_CURRENT_LIST_DIR}/history_budget.h
  ${CMAKE_CURRENT_LIST_DIR}/icons.cpp ${CMAKE_CURRENT_LIST_DIR}/icons.h
  ${CMAKE_CURRENT_LIST_DIR}/image_convert.cpp ${CMAKE_CURRENT_LIST_DIR}/image_convert.h
  ${CMAKE_CURRENT_LIST_DIR}/image_edits.cpp ${CMAKE_CURRENT_LIST_DIR}/image_edits.h
  ${CMAKE_CURRENT_LIST_DIR}/image_pane.cpp ${CMAKE_CURRENT_LIST_DIR}/image_pane.h
  ${CMAKE_CURRENT_LIST_DIR}/image_state.cpp ${CMAKE_CURRENT_LIST_DIR}/image_state.h
  ${CMAKE_CURRENT_LIST_DIR}/main_window.cpp ${CMAKE_CURRENT_LIST_DIR}/main_window_actions.cpp ${CMAKE_CURRENT_LIST_DIR}/main_window.h
  ${CMAKE_CURRENT_LIST_DIR}/metrics_overlay.cpp ${CMAKE_CURRENT_LIST_DIR}/metrics_overlay.h
  ${CMAKE_CURRENT_LIST_DIR}/metrics_presenter.cpp ${CMAKE_CURRENT_LIST_DIR}/metrics_presenter.h
  ${CMAKE_CURRENT_LIST_DIR}/model_catalog.cpp ${CMAKE_CURRENT_LIST_DIR}/model_catalog.h
  ${CMAKE_CURRENT_LIST_DIR}/photo_document.cpp ${CMAKE_CURRENT_LIST_DIR}/photo_document.h
  ${CMAKE_CURRENT_LIST_DIR}/photo_files.cpp ${CMAKE_CURRENT_LIST_DIR}/photo_files.h
  ${CMAKE_CURRENT_LIST_DIR}/recent_files.cpp ${CMAKE_CURRENT_LIST_DIR}/recent_files.h
  ${CMAKE_CURRENT_LIST_DIR}/restore_panel.cpp ${CMAKE_CURRENT_LIST_DIR}/restore_panel.h
  ${CMAKE_CURRENT_LIST_DIR}/restore_runner.cpp ${CMAKE_CURRENT_LIST_DIR}/restore_runner.h
  ${CMAKE_CURRENT_LIST_DIR}/scaled_views.cpp ${CMAKE_CURRENT_LIST_DIR}/scaled_views.h
  ${CMAKE_CURRENT_LIST_DIR}/startup_options.cpp ${CMAKE_CURRENT_LIST_DIR}/startup_options.h
  ${CMAKE_CURRENT_LIST_DIR}/state_command.cpp ${CMAKE_CURRENT_LIST_DIR}/state_command.h
  ${CMAKE_CURRENT_LIST_DIR}/undo_ids.h
  ${CMAKE_CURRENT_LIST_DIR}/undo_texts.cpp ${CMAKE_CURRENT_LIST_DIR}/undo_texts.h
  ${CMAKE_CURRENT_LIST_DIR}/view_controller.cpp ${CMAKE_CURRENT_LIST_DIR}/view_controller.h)
