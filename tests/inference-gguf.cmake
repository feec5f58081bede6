# GGUF loader, tokenizer and chat templates (inference/, infer-gguf).
cs_add_test(test_gguf unit/test_gguf.c LIBS cs_inference)
target_include_directories(test_gguf PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
cs_add_test(test_tokenizer unit/test_tokenizer.c LIBS cs_inference cs_dep_cjson)
target_include_directories(test_tokenizer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
cs_add_test(test_chat unit/test_chat.c LIBS cs_inference)
target_include_directories(test_chat PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
cs_add_cli_test(cli_tokenize cli/test_tokenize.sh)
# Allocation-failure injection: our code's allocations go through wrappers.
cs_add_test(test_inference_oom unit/test_inference_oom.c LIBS cs_inference)
target_include_directories(test_inference_oom PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
target_link_options(test_inference_oom PRIVATE
  -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc)
