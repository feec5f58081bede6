# Audit log: writer, tamper detection, crash safety, export bundle, CLI.
cs_add_test(test_audit unit/test_audit.c LIBS cs_compliance)
cs_add_test(test_audit_tamper unit/test_audit_tamper.c LIBS cs_compliance)
cs_add_test(test_audit_crash unit/test_audit_crash.c LIBS cs_compliance)
add_executable(audit_fixture tools/audit_fixture.c)
target_link_libraries(audit_fixture PRIVATE cs_compliance)
cs_add_cli_test(cli_audit cli/test_audit.sh)
cs_add_test(test_audit_export unit/test_audit_export.c LIBS cs_compliance)
