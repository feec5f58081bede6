# The inference library under WASM: tokenizer and streamed GGUF loading.
cs_add_wasm_tool(wasm_tokenize wasm_tokenize.c)
target_link_libraries(wasm_tokenize PRIVATE cs_inference)
