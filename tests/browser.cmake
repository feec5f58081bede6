# The browser app: `clinsum serve` (the page itself is tested end to end in
# chromium by tests/browser/run.sh, a `make check` step after the WASM build).
cs_add_cli_test(cli_serve cli/test_serve.sh)
