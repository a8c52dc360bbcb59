# cmake -DPROGRAM=... -DARGS=a,b -DOUTPUT=file [-DGZIP=ON] -P RunToFile.cmake
# Runs PROGRAM with ARGS, its standard output to OUTPUT (and OUTPUT.gz,
# compressed as Debian wants manual pages: gzip -9n). Fails the build when
# the program fails.
string(REPLACE "," ";" ARGS "${ARGS}")
get_filename_component(directory ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${directory})
execute_process(COMMAND ${PROGRAM} ${ARGS} OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} ${ARGS} failed: ${status}")
endif()
if(GZIP)
  execute_process(COMMAND gzip -9n -c ${OUTPUT} OUTPUT_FILE ${OUTPUT}.gz RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "gzip ${OUTPUT} failed: ${status}")
  endif()
endif()
