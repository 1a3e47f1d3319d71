# newsidx_icu: ICU's common and i18n libraries, static when NEWSIDX_STATIC_ICU is on (the
# default) and shared otherwise. xxHash is used header-only (XXH_INLINE_ALL), so only its
# include folder is needed.
add_library(newsidx_icu INTERFACE)
if(NEWSIDX_STATIC_ICU)
  foreach(part i18n uc data)
    string(TOUPPER ${part} upper)
    get_filename_component(dir "${ICU_${upper}_LIBRARY}" DIRECTORY)
    find_library(NEWSIDX_ICU_${upper}_STATIC NAMES libicu${part}.a HINTS "${dir}" REQUIRED)
  endforeach()
  target_include_directories(newsidx_icu INTERFACE ${ICU_INCLUDE_DIRS})
  target_link_libraries(newsidx_icu INTERFACE ${NEWSIDX_ICU_I18N_STATIC} ${NEWSIDX_ICU_UC_STATIC}
    ${NEWSIDX_ICU_DATA_STATIC} ${CMAKE_DL_LIBS} Threads::Threads)
else()
  target_link_libraries(newsidx_icu INTERFACE ICU::i18n ICU::uc)
endif()
