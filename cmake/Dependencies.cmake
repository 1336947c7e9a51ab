# Every dependency comes from a Debian package (scripts/setup installs them).
find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs photo)  # photo: the non-local means baseline of eval
find_package(exiv2 REQUIRED)
find_package(JPEG REQUIRED)  # core/io decodes JPEG through libjpeg(-turbo) itself: its warnings are errors there
find_package(PNG REQUIRED)   # core/io writes gray+alpha PNGs, which OpenCV cannot
find_package(TIFF REQUIRED)  # core/io reads gray+alpha TIFFs, which OpenCV 4.6 reads as gray
find_package(nlohmann_json 3 REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MATIO REQUIRED IMPORTED_TARGET matio)  # Levin/DPIR blur kernels are MATLAB files (v7.3 is HDF5)
find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets LinguistTools)

# Torch's CMake config exports its include dirs as ordinary ones; re-export them as
# SYSTEM so that our -Werror never fires inside LibTorch headers.
add_library(restora_torch INTERFACE)
target_include_directories(restora_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
target_link_libraries(restora_torch INTERFACE ${TORCH_LIBRARIES})

add_library(restora_opencv INTERFACE)
target_include_directories(restora_opencv SYSTEM INTERFACE ${OpenCV_INCLUDE_DIRS})
target_link_libraries(restora_opencv INTERFACE ${OpenCV_LIBS})

# oneDNN (Debian's libdnnl-dev: the same libdnnl.so.2 that LibTorch runs on) lets FastConv2d keep
# weights in oneDNN's layout between calls and use Winograd. A LibTorch with its own bundled
# oneDNN (e.g. a CUDA build) can go without: -DRESTORA_WITH_ONEDNN=OFF falls back to torch::conv2d.
option(RESTORA_WITH_ONEDNN "Run CPU convolutions through oneDNN directly" ON)
add_library(restora_onednn INTERFACE)
if(RESTORA_WITH_ONEDNN)
  find_path(RESTORA_DNNL_INCLUDE_DIR dnnl.hpp)
  find_library(RESTORA_DNNL_LIBRARY dnnl)
  if(NOT RESTORA_DNNL_INCLUDE_DIR OR NOT RESTORA_DNNL_LIBRARY)
    message(FATAL_ERROR "oneDNN not found: install libdnnl-dev (scripts/setup does) or configure with -DRESTORA_WITH_ONEDNN=OFF")
  endif()
  target_include_directories(restora_onednn SYSTEM INTERFACE ${RESTORA_DNNL_INCLUDE_DIR})
  target_link_libraries(restora_onednn INTERFACE ${RESTORA_DNNL_LIBRARY})
endif()
# Told to the code through a generated header (a compile definition would split the precompiled header).
set(RESTORA_HAVE_ONEDNN ${RESTORA_WITH_ONEDNN})
