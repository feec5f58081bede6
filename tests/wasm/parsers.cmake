cs_add_wasm_tool(wasm_parse wasm_parse.c)
target_link_libraries(wasm_parse PRIVATE cs_parsers)
