/*
 * wasm_web_audit.h: the browser's audit-log entry points (app/wasm_web_audit.c,
 * where each is described).  JavaScript (ui/audit-worker.js) calls them
 * through the Emscripten glue; this header is for C callers, i.e. the native
 * unit test.
 *
 * Ownership: cs_web_audit_verify_json() and cs_web_audit_export_zip() return
 * malloc'd memory freed with cs_web_audit_free().  Not thread-safe (one
 * worker owns the module and its one open log).
 */
#ifndef CS_WASM_WEB_AUDIT_H
#define CS_WASM_WEB_AUDIT_H

#include <stdint.h>

int cs_web_audit_open(const char *log_path, const char *key_dir, const char *actor, int checkpoint_every);
int cs_web_audit_checkpoint(void);
int cs_web_audit_close(void);
double cs_web_audit_last_seq(void);
const char *cs_web_audit_public_key(void);

int cs_web_audit_document_opened(const uint8_t *bytes, int len, const char *format);
int cs_web_audit_parsed(int sections, const char *format);
int cs_web_audit_redacted(const char *policy, const char *counts_json);
int cs_web_audit_model_loaded(const char *sha256_hex, const char *arch, const char *quant);
int cs_web_audit_summary_produced(const uint8_t *out, int len, double prompt_tokens, double output_tokens,
                                  double prefill_ms, double decode_ms, double total_ms, int faithfulness_flags);
int cs_web_audit_exported(const char *what, const uint8_t *bytes, int len);
int cs_web_audit_network(const char *url, int blocked);

char *cs_web_audit_verify_json(void);
uint8_t *cs_web_audit_export_zip(const uint8_t *wasm, int wasm_len, const char *wasm_name, const char *glue,
                                 int glue_len, double mtime_ms);
double cs_web_audit_result_len(void);
int cs_web_audit_last_error(void);
const char *cs_web_audit_strerror(int rc);
void cs_web_audit_free(void *p);

#endif
