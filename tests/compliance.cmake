# Audit log: writer, tamper detection, crash safety, export bundle, CLI.
cs_add_test(test_audit unit/test_audit.c LIBS cs_compliance)
cs_add_test(test_audit_tamper unit/test_audit_tamper.c LIBS cs_compliance)
cs_add_test(test_audit_crash unit/test_audit_crash.c LIBS cs_compliance)
add_executable(audit_fixture tools/audit_fixture.c)
target_link_libraries(audit_fixture PRIVATE cs_compliance)
cs_add_cli_test(cli_audit cli/test_audit.sh)
cs_add_test(test_audit_export unit/test_audit_export.c LIBS cs_compliance)
# PHI-free test: the pipeline over the PHI-annotated corpus, then a search of
# the log and the export bundle for every annotated identifier.  Without
# `clinsum summarize --audit` it drives the parse and redaction steps itself.
add_executable(audit_pipeline tools/audit_pipeline.c)
target_link_libraries(audit_pipeline PRIVATE cs_compliance cs_parsers)
if(TARGET cs_redact)
  target_link_libraries(audit_pipeline PRIVATE cs_redact)
  target_compile_definitions(audit_pipeline PRIVATE CS_HAVE_REDACT)
endif()
cs_add_cli_test(cli_audit_phi cli/test_audit_phi.sh)
if(CS_SANITIZE)
  # Under ASan every tenth note: one summarize process per note is slow there.
  set_tests_properties(cli_audit_phi PROPERTIES ENVIRONMENT CS_PHI_STRIDE=10)
endif()
# The bundle as one stored ZIP: CRC-32 vectors (and zlib's crc32 as a second
# opinion when zlib is installed), a reader written from the APPNOTE, and the
# CLI's --zip checked with python3's zipfile / unzip.
cs_add_test(test_zip unit/test_zip.c LIBS cs_compliance)
pkg_check_modules(ZLIB_TEST QUIET IMPORTED_TARGET zlib)
if(ZLIB_TEST_FOUND)
  target_link_libraries(test_zip PRIVATE PkgConfig::ZLIB_TEST)
  target_compile_definitions(test_zip PRIVATE CS_TEST_ZLIB=1)
endif()
cs_add_cli_test(cli_audit_zip cli/test_audit_zip.sh)
# The browser's audit entry points compiled natively (ASan/UBSan see them);
# tests/wasm/web_audit.sh runs the WASM build of the same file under node.
cs_add_test(test_web_audit unit/test_web_audit.c ${PROJECT_SOURCE_DIR}/app/wasm_web_audit.c
  LIBS cs_compliance cs_dep_cjson)
target_include_directories(test_web_audit PRIVATE ${PROJECT_SOURCE_DIR}/app)
