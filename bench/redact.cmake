if(TARGET cs_redact)
  add_executable(bench_redact redact.c)
  target_link_libraries(bench_redact PRIVATE cs_redact cs_dep_cjson)
  target_compile_definitions(bench_redact PRIVATE
    CS_SOURCE_DIR="${PROJECT_SOURCE_DIR}" CS_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  target_include_directories(bench_redact PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
endif()
