# Tokenizer throughput (inference/tokenizer.h).
add_executable(bench_tokenize tokenize.c)
target_link_libraries(bench_tokenize PRIVATE cs_inference)
target_compile_definitions(bench_tokenize PRIVATE CS_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
