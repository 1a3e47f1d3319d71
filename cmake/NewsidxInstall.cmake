# Installing newsidx (issue #31): the two commands in bin, the server beside them in
# libexec/newsidx, man pages and bash, zsh and fish completions printed by the binaries from
# their own options at build time (so none can be missing), the systemd units, and a Debian
# package of it all (CPack, scripts/package.sh).
include(GNUInstallDirs)
install(TARGETS indexer searcher RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# searcher --serve executes it from ../libexec/newsidx relative to its own folder.
install(TARGETS newsidx-serve RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/newsidx)

set(generated ${CMAKE_BINARY_DIR}/generated)
set(generated_files)
foreach(program indexer searcher)
  set(page ${generated}/man/${program}.1.gz)
  set(bash ${generated}/bash/${program})
  set(zsh ${generated}/zsh/_${program})
  set(fish ${generated}/fish/${program}.fish)
  add_custom_command(
    OUTPUT ${page} ${bash} ${zsh} ${fish}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${generated}/man ${generated}/bash ${generated}/zsh ${generated}/fish
    COMMAND $<TARGET_FILE:${program}> --print-man > ${generated}/man/${program}.1
    COMMAND gzip -9nf ${generated}/man/${program}.1
    COMMAND $<TARGET_FILE:${program}> --print-completion bash > ${bash}
    COMMAND $<TARGET_FILE:${program}> --print-completion zsh > ${zsh}
    COMMAND $<TARGET_FILE:${program}> --print-completion fish > ${fish}
    DEPENDS ${program}
    COMMENT "Man page and completions of ${program}, from its options"
    VERBATIM)
  list(APPEND generated_files ${page} ${bash} ${zsh} ${fish})
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${bash} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  install(FILES ${zsh} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
  install(FILES ${fish} DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
endforeach()
# The package's changelog and copyright (Debian's places for them).
add_custom_command(
  OUTPUT ${generated}/changelog.gz
  COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/scripts/debian/changelog > ${generated}/changelog.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/scripts/debian/changelog VERBATIM)
list(APPEND generated_files ${generated}/changelog.gz)
install(FILES ${generated}/changelog.gz ${PROJECT_SOURCE_DIR}/scripts/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/newsidx)
# The documentation the pages and messages point to, and the samples to try it on.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/newsidx)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/newsidx/docs)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/samples/ DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/newsidx/samples)
add_custom_target(newsidx_manuals ALL DEPENDS ${generated_files})

# The services, with the installed binaries' paths (lib/systemd/system: /usr/lib/systemd/system
# for the package).
foreach(unit newsidx-serve.service newsidx-watch.service newsidx-alerts.service)
  configure_file(${PROJECT_SOURCE_DIR}/scripts/systemd/${unit}.in ${generated}/systemd/${unit} @ONLY)
  install(FILES ${generated}/systemd/${unit} DESTINATION lib/systemd/system)
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME newsidx)
set(CPACK_PACKAGE_VENDOR "newsidx")
set(CPACK_PACKAGE_CONTACT "newsidx developers <newsidx@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "full-text search for news archives (indexer, searcher, server)")
set(CPACK_PACKAGE_DESCRIPTION
    "newsidx indexes folders of news article files into a Xapian index and\nsearches it: ranked, phrase, field and date queries with highlighted\nsnippets, near-duplicate stories, timelines and facets, a JSON API and a\nsearch page, live indexing, and saved searches that alert once per story.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/newsidx")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends from the binaries' libraries (dpkg-shlibdeps)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "xapian-tools")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${PROJECT_SOURCE_DIR}/scripts/debian/postinst"
    "${PROJECT_SOURCE_DIR}/scripts/debian/prerm" "${PROJECT_SOURCE_DIR}/scripts/debian/postrm")
include(CPack)
