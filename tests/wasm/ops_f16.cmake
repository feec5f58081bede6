# The f16 attention products in WASM (SIMD128) against the native scalar
# ones, bit for bit (tests/wasm/ops_f16.sh).
cs_add_wasm_tool(wasm_ops_f16 ops_f16_dump.c)
target_link_libraries(wasm_ops_f16 PRIVATE cs_inference)
