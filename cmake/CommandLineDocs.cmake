# A program's manual pages (English and Chinese) and bash completion, made
# in the build by the built program from its own command-line definition
# (its hidden --man-page and --bash-completion options, anding/cmdline),
# and installed with the program's package:
#   /usr/share/man/man1/<program>.1.gz, /usr/share/man/zh_CN/man1/<program>.1.gz,
#   /usr/share/bash-completion/completions/<program>
set(ANDING_DOCS_DIR ${PROJECT_BINARY_DIR}/docs CACHE INTERNAL
  "where the generated manual pages and completion scripts are")

function(anding_command_line_docs program component)
  set(man ${ANDING_DOCS_DIR}/man/man1/${program}.1)
  set(man_zh ${ANDING_DOCS_DIR}/man/zh_CN/man1/${program}.1)
  set(completion ${ANDING_DOCS_DIR}/bash-completion/${program})
  set(run ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${program}>)
  set(script -P ${PROJECT_SOURCE_DIR}/cmake/RunToFile.cmake)
  add_custom_command(OUTPUT ${man} ${man}.gz ${man_zh} ${man_zh}.gz ${completion}
    COMMAND ${run} -DARGS=--lang,en,--man-page -DOUTPUT=${man} -DGZIP=ON ${script}
    COMMAND ${run} -DARGS=--lang,zh,--man-page -DOUTPUT=${man_zh} -DGZIP=ON ${script}
    COMMAND ${run} -DARGS=--bash-completion -DOUTPUT=${completion} ${script}
    DEPENDS ${program} anding_catalogues ${PROJECT_SOURCE_DIR}/cmake/RunToFile.cmake
    COMMENT "Generating the manual pages and bash completion of ${program}"
    VERBATIM)
  add_custom_target(${program}_docs ALL DEPENDS ${man}.gz ${man_zh}.gz ${completion})
  install(FILES ${man}.gz DESTINATION share/man/man1 COMPONENT ${component})
  install(FILES ${man_zh}.gz DESTINATION share/man/zh_CN/man1 COMPONENT ${component})
  install(FILES ${completion} DESTINATION share/bash-completion/completions
    COMPONENT ${component})
  install(FILES ${ANDING_BUILD_LOCALEDIR}/zh_CN/LC_MESSAGES/${program}.mo
    DESTINATION share/locale/zh_CN/LC_MESSAGES COMPONENT ${component})
endfunction()
