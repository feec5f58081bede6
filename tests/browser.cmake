# The browser app: `clinsum serve` (the page itself is tested end to end in
# chromium by tests/browser/run.sh, a `make check` step after the WASM build).
cs_add_cli_test(cli_serve cli/test_serve.sh)
# The browser module's entry points, compiled natively (also under ASan).
if(TARGET cs_redact)
  cs_add_test(test_web_api unit/test_web_api.c ${PROJECT_SOURCE_DIR}/app/wasm_web.c LIBS cs_app cs_redact)
  target_include_directories(test_web_api PRIVATE ${PROJECT_SOURCE_DIR}/app ${PROJECT_SOURCE_DIR}/tests/unit)
endif()
