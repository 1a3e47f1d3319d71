# Every target links newsidx_flags PRIVATE: warnings, and sanitizers when asked for.
add_library(newsidx_flags INTERFACE)
target_compile_options(newsidx_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wformat=2
  $<$<BOOL:${NEWSIDX_WARNINGS_AS_ERRORS}>:-Werror>)
if(NEWSIDX_SANITIZE)
  target_compile_options(newsidx_flags INTERFACE -fsanitize=address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(newsidx_flags INTERFACE -fsanitize=address,undefined)
endif()
