# Native half of tests/wasm/ops_f16.sh: the same dump on the scalar path.
if(NOT EMSCRIPTEN)
  add_executable(ops_f16_dump wasm/ops_f16_dump.c)
  target_link_libraries(ops_f16_dump PRIVATE cs_inference)
endif()
