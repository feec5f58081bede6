# Thin wrapper over CMake for the two README commands and CI.
#   make demo   set up, build, summarize the bundled sample
#   make check  set up, build native + ASan/UBSan + WASM, run every test
#               (the browser app end to end in chromium last)
MAKEFLAGS += --no-print-directory
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 10
SAMPLE ?= samples/discharge_summary.txt

.PHONY: all setup native asan wasm fuzz-build fuzz fuzz-smoke check demo bench serve clean

all: native

setup:
	@bash scripts/setup.sh

native: setup
	@cmake -S . -B $(BUILD)/native -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)/native -j$(JOBS)

asan: setup
	@cmake -S . -B $(BUILD)/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DCS_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD)/asan -j$(JOBS)

wasm: setup
	@prefix=$$(bash scripts/wasm-deps.sh) && \
	  NODE_PATH=/usr/share/nodejs emcmake cmake -S . -B $(BUILD)/wasm -DCMAKE_BUILD_TYPE=Release \
	    -DCS_WASM_DEPS=$$prefix >/dev/null && \
	  NODE_PATH=/usr/share/nodejs cmake --build $(BUILD)/wasm -j$(JOBS)

fuzz-build: setup
	@CC=clang cmake -S . -B $(BUILD)/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCS_FUZZ=ON -DCS_TESTS=OFF >/dev/null
	@cmake --build $(BUILD)/fuzz -j$(JOBS)

# Each fuzz target for FUZZ_SECONDS (make fuzz FUZZ_SECONDS=600 for a real run).
fuzz: fuzz-build
	@bash fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	@bash fuzz/run.sh $(BUILD)/fuzz 5

check: native asan wasm fuzz-smoke
	@cd $(BUILD)/native && ctest --output-on-failure -j$(JOBS)
	@cd $(BUILD)/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j$(JOBS)
	@bash tests/wasm/run.sh $(BUILD)/wasm $(BUILD)/native
	@bash tests/browser/run.sh $(BUILD)/wasm $(BUILD)/native

demo: native
	@$(BUILD)/native/app/clinsum summarize $(SAMPLE)

# The browser app on http://127.0.0.1:8765/ (Ctrl-C stops it).
serve: native wasm
	@$(BUILD)/native/app/clinsum serve --root $(BUILD)/wasm/web

bench: native
	@for b in $(BUILD)/native/bench/bench_*; do [ -x "$$b" ] && "$$b"; done; true

clean:
	rm -rf $(BUILD)
