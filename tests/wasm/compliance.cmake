cs_add_wasm_tool(wasm_audit wasm_audit.c)
target_link_libraries(wasm_audit PRIVATE cs_compliance)
