# SIMD128 kernels against the scalar ones, inside WASM.
cs_add_wasm_tool(wasm_kernels wasm_kernels.c)
target_include_directories(wasm_kernels PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
target_link_libraries(wasm_kernels PRIVATE cs_kernels)
