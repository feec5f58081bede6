cs_add_wasm_tool(wasm_redact wasm_redact.c)
target_link_libraries(wasm_redact PRIVATE cs_redact)
