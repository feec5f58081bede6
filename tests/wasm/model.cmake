# The transformer under WASM: greedy generation, compared with native.
cs_add_wasm_tool(wasm_generate wasm_generate.c)
target_link_libraries(wasm_generate PRIVATE cs_inference)
