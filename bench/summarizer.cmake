# bench_summarize: ms per document, extractive summarizer and whole pipeline.
add_executable(bench_summarize summarize.c ${PROJECT_SOURCE_DIR}/app/cs_fileio.c)
target_link_libraries(bench_summarize PRIVATE cs_app)
target_compile_definitions(bench_summarize PRIVATE CS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  CS_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
