# GGUF loader, tokenizer and chat templates (inference/, infer-gguf).
cs_add_test(test_gguf unit/test_gguf.c LIBS cs_inference)
target_include_directories(test_gguf PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
