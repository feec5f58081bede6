/*
 * cs_wasm_imports.h: lists the imports of a WebAssembly module, for the
 * egress attestation.
 *
 * A WASM module can only reach the outside world through functions its host
 * passes in; its import section names every one.  cs_wasm_imports_parse()
 * reads that section (binary format version 1) and flags the imports whose
 * names look like networking (sockets, fetch, XHR, WebSocket, DNS), so an
 * auditor can see that the module has no way to send data anywhere.  The
 * flag is a name heuristic; the full list is reported alongside it.
 *
 * Ownership: *out is a malloc'd array of n entries with malloc'd strings;
 * free it with cs_wasm_imports_free().  Errors: CS_ERR_FORMAT for a file that
 * is not a well-formed module (truncated, bad magic, overlong LEB128),
 * CS_ERR_NOMEM.  Thread-safe.
 */
#ifndef CS_WASM_IMPORTS_H
#define CS_WASM_IMPORTS_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CS_WASM_IMPORT_FUNC = 0,
    CS_WASM_IMPORT_TABLE = 1,
    CS_WASM_IMPORT_MEMORY = 2,
    CS_WASM_IMPORT_GLOBAL = 3,
    CS_WASM_IMPORT_TAG = 4
} cs_wasm_import_kind;

typedef struct {
    char *module;   /* e.g. "env", "wasi_snapshot_preview1" (or "a" when minified) */
    char *name;     /* e.g. "fd_write" (or "b" when minified) */
    char *js_name;  /* the JS function bound to it, from the glue; NULL if unknown */
    cs_wasm_import_kind kind;
    int network;    /* 1 if the name (or js_name) looks like a network function */
} cs_wasm_import;

int cs_wasm_imports_parse(const uint8_t *data, size_t len, cs_wasm_import **out, size_t *n);
void cs_wasm_imports_free(cs_wasm_import *v, size_t n);

/*
 * Optimized emscripten builds minify import names ("a"."b"); the JS glue
 * file that loads the module maps them back (`asmLibraryArg = {"b":
 * _fd_write, ...}`, `wasmImports` in newer releases).  Fills js_name for
 * each import found there, re-applies the network heuristic to it, and
 * returns how many were resolved (CS_ERR_NOMEM on failure).
 */
int cs_wasm_imports_resolve_glue(const char *js, size_t len, cs_wasm_import *v, size_t n);

/* Network API tokens (fetch(, XMLHttpRequest, WebSocket, sendBeacon,
 * EventSource, importScripts, RTCPeerConnection) inside the glue's
 * ASM_CONSTS: the JavaScript that C code embeds with EM_ASM.  -1 when the
 * glue has no ASM_CONSTS. */
int cs_wasm_glue_asm_network_tokens(const char *js, size_t len);

/* 1 if the import names look minified (every module and name at most two
 * characters), so the heuristic needs the glue to say anything. */
int cs_wasm_imports_minified(const cs_wasm_import *v, size_t n);

/* The heuristic: 1 if module.name looks like networking. */
int cs_wasm_import_is_network(const char *module, const char *name);

/* "func", "table", "memory", "global", "tag". */
const char *cs_wasm_import_kind_name(cs_wasm_import_kind k);

#endif
