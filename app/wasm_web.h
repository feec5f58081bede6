/*
 * wasm_web.h: the browser module's entry points (app/wasm_web.c, where the
 * JSON each returns is described).  JavaScript calls them through the
 * Emscripten glue; this header is for C callers, i.e. the native unit test.
 *
 * Ownership: returned strings and cs_web_alloc() buffers are freed with
 * cs_web_free().  Not thread-safe (one worker owns the module).
 */
#ifndef CS_WASM_WEB_H
#define CS_WASM_WEB_H

#include <stddef.h>
#include <stdint.h>

int cs_web_init(void);
void *cs_web_alloc(size_t n);
void cs_web_free(void *p);
char *cs_web_parse(const uint8_t *data, size_t len, const char *name);
char *cs_web_redact(const uint8_t *data, size_t len);
char *cs_web_summarize(const uint8_t *data, size_t len, const char *style);

#endif
