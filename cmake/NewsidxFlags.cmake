# Every target links newsidx_flags PRIVATE: warnings, and sanitizers when asked for.
add_library(newsidx_flags INTERFACE)
target_compile_options(newsidx_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wformat=2
  $<$<BOOL:${NEWSIDX_WARNINGS_AS_ERRORS}>:-Werror>)
# Only the shared libraries a binary uses are loaded when it starts.
target_link_options(newsidx_flags INTERFACE -Wl,--as-needed)
if(NEWSIDX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "NEWSIDX_FUZZ needs clang (libFuzzer): use the fuzz preset")
  endif()
  # Coverage for libFuzzer in every object; the fuzz targets link -fsanitize=fuzzer themselves.
  target_compile_options(newsidx_flags INTERFACE -fsanitize=fuzzer-no-link)
  set(NEWSIDX_SANITIZE ON)
endif()
if(NEWSIDX_SANITIZE)
  target_compile_options(newsidx_flags INTERFACE -fsanitize=address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(newsidx_flags INTERFACE -fsanitize=address,undefined)
endif()
