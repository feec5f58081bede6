# Audit log: writer, tamper detection, crash safety, export bundle, CLI.
cs_add_test(test_audit unit/test_audit.c LIBS cs_compliance)
cs_add_test(test_audit_tamper unit/test_audit_tamper.c LIBS cs_compliance)
