cs_add_test(test_parse_text unit/test_parse_text.c LIBS cs_parsers)
# Command-line contract tests: exit codes and one-line errors.
cs_add_cli_test(cli_parse cli/test_parse.sh)
cs_add_test(test_parse_ccda unit/test_parse_ccda.c LIBS cs_parsers)
cs_add_test(test_parse_html unit/test_parse_html.c LIBS cs_parsers)
cs_add_test(test_parse_fhir unit/test_parse_fhir.c LIBS cs_parsers)
# Needs ../shared/corpus; skips with a message when it is absent.
cs_add_test(test_corpus unit/test_corpus.c LIBS cs_parsers)
cs_add_cli_test(cli_parse_formats cli/test_parse_formats.sh)
cs_add_test(test_parse_helpers unit/test_parse_helpers.c LIBS cs_parsers)
