# Redaction: detectors, identity, modes, robustness; CLI contract.
cs_add_test(test_redact unit/test_redact.c LIBS cs_redact Threads::Threads)
cs_add_cli_test(cli_redact cli/test_redact.sh)
# Source maps: `redact --spans` offsets read back from the file, per format.
cs_add_test(test_srcmap unit/test_srcmap.c LIBS cs_redact cs_parsers)
