# Runs a command and fails unless it exits with the expected code (CTest's WILL_FAIL accepts any
# non-zero code, and PASS_REGULAR_EXPRESSION ignores the code altogether).
#
#   cmake -DEXPECTED=2 [-DSTDOUT_REGEX=re] [-DSTDERR_REGEX=re] -P expect_exit.cmake -- PROGRAM ARGS...
#
# The command's output is echoed, so PASS_REGULAR_EXPRESSION can still look at it; a failure
# prints a line starting "expect_exit: FAILED" (use it as FAIL_REGULAR_EXPRESSION).
if(NOT DEFINED EXPECTED)
  message(FATAL_ERROR "expect_exit: FAILED: pass -DEXPECTED=<exit code>")
endif()

set(command "")
set(in_command OFF)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(in_command)
    string(REPLACE ";" "\\;" argument "${CMAKE_ARGV${i}}")  # keep "a;b" one argument
    list(APPEND command "${argument}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(in_command ON)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "expect_exit: FAILED: no command after --")
endif()

execute_process(COMMAND ${command} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
message("${err}")
set(failures "")
if(NOT "${code}" STREQUAL "${EXPECTED}")
  string(APPEND failures "exit code ${code}, expected ${EXPECTED}; ")
endif()
if(DEFINED STDOUT_REGEX AND NOT out MATCHES "${STDOUT_REGEX}")
  string(APPEND failures "stdout does not match '${STDOUT_REGEX}'; ")
endif()
if(DEFINED STDERR_REGEX AND NOT err MATCHES "${STDERR_REGEX}")
  string(APPEND failures "stderr does not match '${STDERR_REGEX}'; ")
endif()
if(failures)
  message(FATAL_ERROR "expect_exit: FAILED: ${failures}command: ${command}")
endif()
