# Warnings as an INTERFACE target, linked per target (not global flags), so that
# third-party headers (included as SYSTEM) never trip them.
add_library(restora_warnings INTERFACE)
target_compile_options(restora_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
    -Wno-unused-parameter
    $<$<BOOL:${RESTORA_WARNINGS_AS_ERRORS}>:-Werror>>)
