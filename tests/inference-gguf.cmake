# GGUF loader, tokenizer and chat templates (inference/, infer-gguf).
cs_add_test(test_gguf unit/test_gguf.c LIBS cs_inference)
target_include_directories(test_gguf PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
cs_add_test(test_tokenizer unit/test_tokenizer.c LIBS cs_inference cs_dep_cjson)
target_include_directories(test_tokenizer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
cs_add_test(test_chat unit/test_chat.c LIBS cs_inference)
cs_add_cli_test(cli_tokenize cli/test_tokenize.sh)
