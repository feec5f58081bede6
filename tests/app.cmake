# The CLI as a whole: memcheck-clean on every command it has.
cs_add_cli_test(cli_valgrind cli/valgrind.sh)
