cs_add_test(test_parse_text unit/test_parse_text.c LIBS cs_parsers)
# Command-line contract tests: exit codes and one-line errors.
cs_add_cli_test(cli_parse cli/test_parse.sh)
