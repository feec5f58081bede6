# The browser's audit entry points (app/wasm_web_audit.c) in a module of
# their own, loaded by tests/wasm/web_audit.js under node the way the web
# worker loads the app: MEMFS files, ccall, no main().  Built with the same
# settings as cs_add_wasm_tool, except that the file system is emscripten's
# in-memory one (as in the browser), not node's.
add_executable(wasm_web_audit ${PROJECT_SOURCE_DIR}/app/wasm_web_audit.c)
target_compile_options(wasm_web_audit PRIVATE ${CS_SIMD_FLAGS})
target_link_libraries(wasm_web_audit PRIVATE cs_compliance cs_dep_cjson)
target_link_options(wasm_web_audit PRIVATE -sALLOW_MEMORY_GROWTH=1 -sENVIRONMENT=node
  -sMODULARIZE=1 -sEXPORT_NAME=createWebAudit -sEXPORTED_FUNCTIONS=_malloc,_free
  -sEXPORTED_RUNTIME_METHODS=ccall,cwrap,UTF8ToString,FS,HEAPU8)
