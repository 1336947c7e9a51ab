# restora-cli end-to-end tests (included from tests/CMakeLists.txt). Each runs the executable
# through expect_exit.cmake, which checks the exact exit code and echoes the output.
set(restora_expect_exit "${CMAKE_CURRENT_LIST_DIR}/expect_exit.cmake")
set(restora_conformance "${RESTORA_SHARED_DIR}/conformance")

# restora_cli_test(NAME EXIT_CODE PASS_REGEX ARGS...): PASS_REGEX "" checks only the exit code.
function(restora_cli_test name expected pass_regex)
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} -DEXPECTED=${expected} -P "${restora_expect_exit}"
                   -- $<TARGET_FILE:restora-cli> ${ARGN})
  set_tests_properties(${name} PROPERTIES FAIL_REGULAR_EXPRESSION "expect_exit: FAILED")
  if(NOT pass_regex STREQUAL "")
    set_tests_properties(${name} PROPERTIES PASS_REGULAR_EXPRESSION "${pass_regex}")
  endif()
endfunction()

# ---- every command ---------------------------------------------------------------------------
restora_cli_test(restora_cli_unknown_command_exits_2 2 "" no-such-command)
restora_cli_test(restora_cli_no_command_exits_2 2 "")
restora_cli_test(restora_cli_unknown_option_exits_2 2 "" restore --no-such-option)
restora_cli_test(restora_cli_help_lists_commands 0 "inspect.*restore" --help)

# ---- inspect ----------------------------------------------------------------------------------
restora_cli_test(restora_cli_inspect_help 0 "usage: restora-cli inspect" inspect --help)
restora_cli_test(restora_cli_inspect_mprnet_legacy_cuda 0 "network: +MPRNet\n.*n_feat=8"
                 inspect "${restora_conformance}/mprnet/tiny_a/weights_legacy_cuda.pth")
restora_cli_test(restora_cli_inspect_mprnet_bias 0 "network: +MPRNet\n.*bias=True"
                 inspect "${restora_conformance}/mprnet/tiny_b_bias/weights.pth")
restora_cli_test(restora_cli_inspect_mirnet 0 "network: +MIRNet\n"
                 inspect "${restora_conformance}/mirnet/tiny_b_h2w3_bias/weights_legacy.pth")
restora_cli_test(restora_cli_inspect_mirnetv2_defocus 0 "network: +MIRNet_v2\n.*task='defocus_deblurring'"
                 inspect "${restora_conformance}/mirnetv2/tiny_defocus_bias/weights.pth")
restora_cli_test(restora_cli_inspect_hinet_json 0 "\"network\": \"HINet\""
                 inspect --json "${restora_conformance}/hinet/tiny_b_d4/weights.pth")
restora_cli_test(restora_cli_inspect_mirnetv2_scale_hint 0 "scale=2"
                 inspect --scale 2 "${restora_conformance}/mirnetv2/tiny_sr_x2/weights.pth")
# Not checkpoints, or hints the shapes contradict: exit 2 with a one-line reason.
restora_cli_test(restora_cli_inspect_not_a_checkpoint_exits_2 2 ""
                 inspect "${restora_conformance}/mprnet/tiny_a/input.f32")
restora_cli_test(restora_cli_inspect_missing_file_exits_2 2 ""
                 inspect "${restora_conformance}/no-such-file.pth")
restora_cli_test(restora_cli_inspect_contradicting_task_exits_2 2 ""
                 inspect --task sr_x2 "${restora_conformance}/hinet/tiny_a/weights.pth")
restora_cli_test(restora_cli_inspect_wrong_key_exits_2 2 ""
                 inspect --key no_such_entry "${restora_conformance}/hinet/tiny_a/weights.pth")
# A readable checkpoint of some other network (made with torch.save({"params": OrderedDict(...)})).
restora_cli_test(restora_cli_inspect_unsupported_network_exits_2 2 ""
                 inspect "${CMAKE_CURRENT_LIST_DIR}/data/unsupported_network.pth")
set_tests_properties(restora_cli_inspect_unsupported_network_exits_2 PROPERTIES
                     PASS_REGULAR_EXPRESSION "not a checkpoint of a supported network \\(nearest: ")

# ---- restore ----------------------------------------------------------------------------------
set(restora_photo "${RESTORA_SHARED_DIR}/data/Set5/x4/img_001_SRF_4_LR.png")
set(restora_cli_out "${CMAKE_CURRENT_BINARY_DIR}/cli-output")
file(MAKE_DIRECTORY "${restora_cli_out}")
restora_cli_test(restora_cli_restore_help 0 "usage: restora-cli restore" restore --help)
restora_cli_test(restora_cli_restore_hinet_checkpoint 0 "HINet, [0-9]+x[0-9]+"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/hinet.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights_legacy.pth")
restora_cli_test(restora_cli_restore_mprnet_checkpoint_to_tif 0 "MPRNet"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/mprnet.tif"
                 --weights "${restora_conformance}/mprnet/tiny_b_bias/weights.pth" --threads 1)
restora_cli_test(restora_cli_restore_exact_convolutions 0 "HINet"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/hinet-exact.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --exact)
restora_cli_test(restora_cli_restore_missing_input_exits_2 2 ""
                 restore --input "${restora_cli_out}/no-such.png" --output "${restora_cli_out}/x.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth")
restora_cli_test(restora_cli_restore_not_a_checkpoint_exits_2 2 ""
                 restore --input "${restora_photo}" --output "${restora_cli_out}/x.png" --weights "${restora_photo}")
restora_cli_test(restora_cli_restore_unknown_model_id_exits_2 2 ""
                 restore --input "${restora_photo}" --output "${restora_cli_out}/x.png" --model no-such-model)
restora_cli_test(restora_cli_restore_refuses_to_overwrite_its_input_exits_2 2 ""
                 restore --input "${restora_photo}" --output "${restora_photo}"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth")
restora_cli_test(restora_cli_restore_missing_output_folder_exits_2 2 ""
                 restore --input "${restora_photo}" --output "${restora_cli_out}/no/such/folder/x.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth")
restora_cli_test(restora_cli_restore_dual_pixel_model_without_right_view_exits_2 2 "right view"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/x.png"
                 --weights "${restora_conformance}/mirnetv2/tiny_defocus_bias/weights.pth")

# Tiling, chains, the engine's options.
restora_cli_test(restora_cli_restore_tiled 0 "HINet, [0-9]+x[0-9]+"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/hinet-tiled.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --tile 48 --overlap 16)
restora_cli_test(restora_cli_restore_auto_tiles_within_memory 0 "MPRNet"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/mprnet-auto.png"
                 --weights "${restora_conformance}/mprnet/tiny_a/weights.pth" --memory 300M)
restora_cli_test(restora_cli_restore_chain 0 "HINet \\+ MPRNet"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/chain.png" --tile 64
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --weights "${restora_conformance}/mprnet/tiny_a/weights.pth")
restora_cli_test(restora_cli_restore_chain_with_a_single_model_hint_exits_2 2 "single checkpoint"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/x.png" --task gopro
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --weights "${restora_conformance}/mprnet/tiny_a/weights.pth")
restora_cli_test(restora_cli_restore_ensemble 0 "HINet"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/hinet-ensemble.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --ensemble --tile 64)
restora_cli_test(restora_cli_restore_notes_assumed_net_args 0 "note: assumed relu_slope=0.2"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/hinet-note.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth")
restora_cli_test(restora_cli_restore_net_arg 0 "HINet"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/hinet-slope.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --net-arg relu_slope=0.1)
restora_cli_test(restora_cli_restore_net_arg_the_weights_determine_exits_2 2 "the weights determine it"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/x.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --net-arg wf=16)
restora_cli_test(restora_cli_restore_bad_memory_exits_2 2 "--memory expects"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/x.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --memory lots)
restora_cli_test(restora_cli_restore_memory_too_small_exits_2 2 "too small"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/x.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --memory 16M)
restora_cli_test(restora_cli_restore_fp16_on_cpu_exits_2 2 "needs a CUDA device"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/x.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --precision fp16)
restora_cli_test(restora_cli_restore_bad_precision_exits_2 2 "--precision expects"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/x.png"
                 --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --precision fp8)
restora_cli_test(restora_cli_inspect_net_arg 0 "relu_slope=0.1"
                 inspect --net-arg relu_slope=0.1 "${restora_conformance}/hinet/tiny_a/weights.pth")

# ---- bench ------------------------------------------------------------------------------------
restora_cli_test(restora_cli_bench_checkpoint 0 "ms per image.*GFLOP/s.*peak memory"
                 bench --weights "${restora_conformance}/mprnet/tiny_a/weights.pth" --size 64x48 --runs 1 --warmup 0)
restora_cli_test(restora_cli_bench_says_winograd_by_default 0 "convolutions +Winograd"
                 bench --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --size 64x64 --runs 1 --warmup 0)
restora_cli_test(restora_cli_bench_exact_says_direct 0 "convolutions +direct"
                 bench --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --size 64x64 --runs 1 --exact)
restora_cli_test(restora_cli_bench_whole_and_tiled 0 "whole image.*peak memory.*tiled +32 px tiles.*x whole.*tiled memory"
                 bench --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --size 80x64 --runs 1 --warmup 0 --tile 32)
restora_cli_test(restora_cli_bench_bad_size_exits_2 2 "" bench --network hinet --config gopro --size 12by12)
restora_cli_test(restora_cli_bench_unknown_config_exits_2 2 "" bench --network hinet --config nope)

# ---- tiling-study -----------------------------------------------------------------------------
restora_cli_test(restora_cli_tiling_study_prints_its_table 0 "\\| 32 \\| 8 \\| [0-9.]+ \\| [-+][0-9.]+ \\| [0-9.]+ \\|"
                 tiling-study --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --images "${RESTORA_SHARED_DIR}/data/CBSD68" --limit 1 --crop 64 --tiles 32 --overlaps 8)

# ---- batch ------------------------------------------------------------------------------------
# An input folder made at configure time in the build tree: two photos from ../shared (copied, not
# committed), a corrupt .png and a Thumbs.db; a second folder without the corrupt file.
set(restora_batch_in "${CMAKE_CURRENT_BINARY_DIR}/batch-input")
set(restora_batch_good "${CMAKE_CURRENT_BINARY_DIR}/batch-input-good")
set(restora_batch_out "${CMAKE_CURRENT_BINARY_DIR}/batch-output")
foreach(folder IN ITEMS "${restora_batch_in}" "${restora_batch_good}")
  file(MAKE_DIRECTORY "${folder}/sub dir")
  file(COPY "${RESTORA_SHARED_DIR}/data/Set5/x4/img_001_SRF_4_LR.png" DESTINATION "${folder}")
  file(COPY "${RESTORA_SHARED_DIR}/data/Set5/x4/img_002_SRF_4_LR.png" DESTINATION "${folder}/sub dir")
  file(WRITE "${folder}/Thumbs.db" "not an image")
endforeach()
file(WRITE "${restora_batch_in}/corrupt.png" "this is text, not a PNG")
set(restora_batch_weights "${restora_conformance}/hinet/tiny_a/weights_legacy.pth")
restora_cli_test(restora_cli_batch_help 0 "usage: restora-cli batch" batch --help)
restora_cli_test(restora_cli_batch_all_good_exits_0 0 "2 restored, 0 failed, 1 skipped"
                 batch --input "${restora_batch_good}" --output "${restora_batch_out}/good" --recursive --overwrite replace
                 --weights "${restora_batch_weights}")
restora_cli_test(restora_cli_batch_a_bad_file_exits_1 1 "[0-9]+ restored, 1 failed, 1 skipped.*corrupt.png.: not an image"
                 batch --input "${restora_batch_in}" --output "${restora_batch_out}/mixed" --recursive --weights "${restora_batch_weights}"
                 --name "{name}-{model}-x{scale}.{ext}" --format jpg --quality 90)
restora_cli_test(restora_cli_batch_shard_writes_its_own_log 0 "restora-batch-2-of-2.csv"
                 batch --input "${restora_batch_good}" --output "${restora_batch_out}/shards" --recursive --shard 2/2
                 --weights "${restora_batch_weights}")
restora_cli_test(restora_cli_batch_missing_input_exits_2 2 "no such input folder"
                 batch --input "${restora_batch_out}/no-such" --output "${restora_batch_out}/x" --weights "${restora_batch_weights}")
restora_cli_test(restora_cli_batch_output_is_input_exits_2 2 "the output folder is the input folder"
                 batch --input "${restora_batch_in}" --output "${restora_batch_in}" --weights "${restora_batch_weights}")
restora_cli_test(restora_cli_batch_bad_shard_exits_2 2 "--shard '3/2'"
                 batch --input "${restora_batch_in}" --output "${restora_batch_out}/x" --shard 3/2 --weights "${restora_batch_weights}")
restora_cli_test(restora_cli_batch_bad_overwrite_exits_2 2 "--overwrite 'always'"
                 batch --input "${restora_batch_in}" --output "${restora_batch_out}/x" --overwrite always
                 --weights "${restora_batch_weights}")
restora_cli_test(restora_cli_batch_bad_pattern_exits_2 2 "must contain \\{name\\}"
                 batch --input "${restora_batch_in}" --output "${restora_batch_out}/x" --name "{model}.{ext}"
                 --weights "${restora_batch_weights}")
restora_cli_test(restora_cli_batch_no_model_exits_2 2 "exactly one of"
                 batch --input "${restora_batch_in}" --output "${restora_batch_out}/x")
restora_cli_test(restora_cli_restore_reference_for_a_model_without_one_exits_2 2 "img_001_SRF_4_LR.png': a reference photo is only for"
                 restore --input "${restora_batch_in}/sub dir/img_002_SRF_4_LR.png" --output "${restora_cli_out}/x.png" --weights "${restora_batch_weights}"
                 --ref "${restora_photo}")
restora_cli_test(restora_cli_restore_truncated_input_exits_2 2 "corrupt.png': not an image"
                 restore --input "${restora_batch_in}/corrupt.png" --output "${restora_cli_out}/x.png" --weights "${restora_batch_weights}")
# ---- train, eval, models ----------------------------------------------------------------------
set(restora_shared_data "${RESTORA_SHARED_DIR}/data")
restora_cli_test(restora_cli_train_help 0 "usage: restora-cli train" train --help)
restora_cli_test(restora_cli_train_missing_config_exits_2 2 "cannot be read"
                 train --config "${restora_cli_out}/no-such-config.json")
restora_cli_test(restora_cli_train_config_that_is_not_json_exits_2 2 "not valid JSON"
                 train --config "${restora_photo}")
restora_cli_test(restora_cli_eval_synthetic_noise 0 "gaussian:25 +mean of 1 .*RGB channel"
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --data "${restora_shared_data}/CBSD68"
                 --degrade gaussian:25 --limit 1 --csv "${restora_cli_out}/eval-noise.csv")
restora_cli_test(restora_cli_eval_tiles_as_asked 0 "tiles of 64 px, overlap 16"
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --data "${restora_shared_data}/CBSD68"
                 --degrade gaussian:25 --limit 1 --tile 64 --overlap 16 --csv "${restora_cli_out}/eval-tiles.csv")
restora_cli_test(restora_cli_eval_uses_the_bundled_models_own_tile 0 "tiles of 96 px, overlap 16"
                 eval -m hinet-denoise-lite --data "${restora_shared_data}/CBSD68"
                 --degrade gaussian:25 --limit 1 --csv "${restora_cli_out}/eval-bundled.csv")
restora_cli_test(restora_cli_eval_pairs 0 "pair +mean of 1 "
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --lq "${restora_shared_data}/Rain100L_subset10/rain/rain-*.png"
                 --gt "${restora_shared_data}/Rain100L_subset10/norain/norain-*.png" --limit 1 --channel y
                 --csv "${restora_cli_out}/eval-pairs.csv")
restora_cli_test(restora_cli_eval_pairs_of_another_size_exits_2 2 "reference"
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --lq "${restora_shared_data}/Set5/x4/img_00*_SRF_4_LR.png"
                 --gt "${restora_shared_data}/Set5/x4/img_00*_SRF_4_HR.png" --limit 1)
restora_cli_test(restora_cli_eval_pattern_without_star_exits_2 2 "exactly one"
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --lq "${restora_shared_data}/Set5/x4/img_001_SRF_4_LR.png" --gt "${restora_shared_data}/Set5/x4/*_HR.png")
restora_cli_test(restora_cli_eval_reference_for_a_model_without_one_exits_2 2 "--ref .*_right.png': reference photos are only for"
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --data "${restora_shared_data}/RefSR_toy/stereo_motorcycle/*_left.png" --degrade bicubic:4
                 --ref "${restora_shared_data}/RefSR_toy/stereo_motorcycle/*_right.png")
restora_cli_test(restora_cli_eval_missing_reference_photo_exits_2 2 "motorcycle_left.png has no reference photo matching"
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --data "${restora_shared_data}/RefSR_toy/stereo_motorcycle/*_left.png" --degrade bicubic:4
                 --ref "${restora_shared_data}/RefSR_toy/stereo_motorcycle/*_nothing.png")
restora_cli_test(restora_cli_eval_unknown_degradation_exits_2 2 "degradation"
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth" --data "${restora_shared_data}/CBSD68"
                 --degrade blur:3)
restora_cli_test(restora_cli_models_lists_the_bundled_models 0 "" models)
set_tests_properties(restora_cli_models_lists_the_bundled_models PROPERTIES
  ENVIRONMENT "XDG_DATA_HOME=${restora_cli_out}/xdg-data")
restora_cli_test(restora_cli_restore_with_the_bundled_denoiser 0 "HINet denoise"
                 restore --input "${restora_photo}" --output "${restora_cli_out}/denoised.png" -m hinet-denoise-lite)
restora_cli_test(restora_cli_models_says_checksum_ok 0 "hinet-denoise-lite +HINet +denoise .*checksum ok" models)

# ---- deblurring kernels, synthetic references, where-it-looked ----------------------------------------
set(restora_levin "${restora_shared_data}/Set3C_and_blur_kernels/kernels/Levin09.mat")
restora_cli_test(restora_cli_eval_levin_kernel_and_noise 0 "kernel:.*#3\\+gaussian:2.55 +mean of 1 "
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --data "${restora_shared_data}/Set3C_and_blur_kernels/Set3C" --degrade "kernel:${restora_levin}#3+gaussian:2.55"
                 --limit 1 --csv "${restora_cli_out}/eval-levin.csv")
restora_cli_test(restora_cli_eval_missing_kernel_number_exits_2 2 "Levin09.mat#9': no kernel #9 \\(the file holds 8\\)"
                 eval --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --data "${restora_shared_data}/Set3C_and_blur_kernels/Set3C" --degrade "kernel:${restora_levin}#9")
restora_cli_test(restora_cli_eval_ssen_same_scene_reference 0 "bicubic:4 +mean of 2 "
                 eval --weights "${CMAKE_CURRENT_LIST_DIR}/data/tiny_ssen_x4.pth" --data "${restora_shared_data}/Set5/x4/*_HR.png" --degrade bicubic:4
                 --ref same-scene --limit 2 --csv "${restora_cli_out}/eval-same-scene.csv")
restora_cli_test(restora_cli_where_it_looked 0 "pixel \\(200, 150\\): 729 points x 2 groups"
                 where-it-looked --weights "${CMAKE_CURRENT_LIST_DIR}/data/tiny_ssen_x4.pth" --input "${restora_shared_data}/RefSR_toy/ttsr_demo/lr_0.png"
                 --ref "${restora_shared_data}/RefSR_toy/ttsr_demo/ref_0.png" --pixel 200,150 --pixel 10,10
                 --output "${restora_cli_out}/looked.png")
restora_cli_test(restora_cli_where_it_looked_outside_exits_2 2 "--pixel '9999,5' lies outside the 352x500 output"
                 where-it-looked --weights "${CMAKE_CURRENT_LIST_DIR}/data/tiny_ssen_x4.pth" --input "${restora_shared_data}/RefSR_toy/ttsr_demo/lr_0.png"
                 --pixel 9999,5 --output "${restora_cli_out}/looked-outside.png")
restora_cli_test(restora_cli_where_it_looked_needs_ssen_exits_2 2 "for reference-based SR models \\(SSEN\\). HINet"
                 where-it-looked --weights "${restora_conformance}/hinet/tiny_a/weights.pth"
                 --input "${restora_shared_data}/RefSR_toy/ttsr_demo/lr_0.png" --pixel 1,1 --output "${restora_cli_out}/looked-hinet.png")
# PyTorch's bicubic (a = -0.75, the SR networks' skip) on MATLAB's LR files: 28.63 dB, a little
# above MATLAB's own bicubic (28.42 dB published): the floor our SR models are measured against.
restora_cli_test(restora_cli_eval_bicubic_baseline 0 "pair +mean of 5 +28\\.6"
                 eval --baseline bicubic:4 --lq "${restora_shared_data}/Set5/x4/*_LR.png"
                 --gt "${restora_shared_data}/Set5/x4/*_HR.png" --csv "${restora_cli_out}/eval-bicubic.csv")
restora_cli_test(restora_cli_eval_bad_bicubic_baseline_exits_2 2 "expected bicubic:S with S in 2..8"
                 eval --baseline bicubic:9 --lq "${restora_shared_data}/Set5/x4/*_LR.png"
                 --gt "${restora_shared_data}/Set5/x4/*_HR.png")
