add_executable(bench_parse parse.c)
target_link_libraries(bench_parse PRIVATE cs_parsers)
target_compile_definitions(bench_parse PRIVATE CS_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
target_include_directories(bench_parse PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
