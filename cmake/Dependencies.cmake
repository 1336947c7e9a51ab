# Every dependency comes from a Debian package (scripts/setup installs them).
find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(exiv2 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(Threads REQUIRED)
find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets LinguistTools)

# Torch's CMake config exports its include dirs as ordinary ones; re-export them as
# SYSTEM so that our -Werror never fires inside LibTorch headers.
add_library(restora_torch INTERFACE)
target_include_directories(restora_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
target_link_libraries(restora_torch INTERFACE ${TORCH_LIBRARIES})

add_library(restora_opencv INTERFACE)
target_include_directories(restora_opencv SYSTEM INTERFACE ${OpenCV_INCLUDE_DIRS})
target_link_libraries(restora_opencv INTERFACE ${OpenCV_LIBS})
