/*
 * cs_audit_export.h: the audit bundle a compliance officer receives.
 *
 * cs_audit_bundle_build() turns a log (and its seal, the trusted key and
 * optionally the app's WASM module) into the bundle's files, in memory, so
 * the CLI writes them to a directory and the browser can offer them as
 * downloads:
 *   audit.jsonl          the log, byte for byte
 *   audit.jsonl.seal     its seal (when there is one)
 *   audit-ed25519.pub    the public key the checkpoints are signed with
 *   verification.json    cs_audit_report_json() of the log
 *   egress.json          the egress attestation: the Content-Security-Policy
 *                        (cs_policy.h), the WASM module's imports with any
 *                        network-looking ones flagged (minified names are
 *                        resolved through the JS glue, whose EM_ASM code is
 *                        searched for network APIs too), and the network
 *                        events the log records
 *   report.html          the same, readable, with no external resources
 *   manifest.json        SHA-256 of every other file
 * The bundle is built for tampered logs too: it then documents the failure.
 *
 * Ownership: the bundle owns its files' data; cs_audit_bundle_free().
 * Errors: CS_OK (whatever the verdict; see *report), CS_ERR_NOMEM,
 * CS_ERR_CRYPTO.  Thread-safe.
 */
#ifndef CS_AUDIT_EXPORT_H
#define CS_AUDIT_EXPORT_H

#include "cs_audit_verify.h"

#include <stddef.h>
#include <stdint.h>

#define CS_AUDIT_BUNDLE_MAX_FILES 8

typedef struct {
    const char *name; /* file name inside the bundle (static string) */
    char *data;       /* malloc'd contents */
    size_t len;
} cs_audit_bundle_file;

typedef struct {
    cs_audit_bundle_file files[CS_AUDIT_BUNDLE_MAX_FILES];
    size_t n;
} cs_audit_bundle;

typedef struct {
    const char *log;            /* the log bytes */
    size_t log_len;
    const char *seal;           /* the seal file's bytes, NULL if none */
    size_t seal_len;
    const uint8_t *trusted_pk;  /* 32 bytes, or NULL to use the key the log names */
    const uint8_t *wasm;        /* the app's WASM module, or NULL */
    size_t wasm_len;
    const char *wasm_name;      /* its file name for the report (no directories) */
    const char *glue;           /* the JS glue that loads it (emscripten's .js), or NULL */
    size_t glue_len;
} cs_audit_bundle_input;

int cs_audit_bundle_build(const cs_audit_bundle_input *in, cs_audit_bundle *out, cs_audit_report *report);
void cs_audit_bundle_free(cs_audit_bundle *b);

/* Writes every file into `dir` (created if needed), each atomically.
 * CS_OK, CS_ERR_IO, CS_ERR_LIMIT. */
int cs_audit_bundle_write(const cs_audit_bundle *b, const char *dir);

/* The bundle file with this name, or NULL. */
const cs_audit_bundle_file *cs_audit_bundle_find(const cs_audit_bundle *b, const char *name);

/* The whole bundle as one stored ZIP archive (cs_zip.h), the files at its
 * top level in bundle order, each dated mtime_unix: the browser's single
 * download and `clinsum audit export --zip`.  *out is malloc'd (caller
 * frees).  CS_OK, CS_ERR_NOMEM, CS_ERR_LIMIT. */
int cs_audit_bundle_zip(const cs_audit_bundle *b, int64_t mtime_unix, uint8_t **out, size_t *out_len);

#endif
