# Tokenizer throughput (inference/tokenizer.h).
add_executable(bench_tokenize tokenize.c)
target_link_libraries(bench_tokenize PRIVATE cs_inference)
target_compile_definitions(bench_tokenize PRIVATE CS_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
# Prefill/decode speed, load time and memory of a model (inference/model.h).
add_executable(bench_infer infer.c)
target_link_libraries(bench_infer PRIVATE cs_inference)
target_compile_definitions(bench_infer PRIVATE CS_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
