# Regenerates docs/parameters.md into OUT and fails if it differs from DOC.
execute_process(COMMAND ${PYTHON} ${GENERATOR} ${OSSIFY}
                OUTPUT_FILE ${OUT} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "make_parameter_docs.py failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${DOC}
                RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  message(FATAL_ERROR "docs/parameters.md is out of date; regenerate it with\n"
    "  python3 postprocessing/make_parameter_docs.py build/solver/ossify > docs/parameters.md")
endif()
message(STATUS "docs/parameters.md is up to date")
