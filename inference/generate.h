/*
 * generate.h: text generation on top of a model context, a tokenizer and a
 * sampler: evaluate the prompt (batched prefill), then sample one token at
 * a time, streaming each token's text to a callback, until an
 * end-of-generation token, the token limit, a full context, or a cancel.
 *
 * The text handed to the callback is complete UTF-8 (a character split
 * across tokens arrives with the token that completes it), so it can go
 * straight to a terminal, a file or a browser's TextDecoder.  The
 * concatenation of every callback's text is exactly the decoding of the
 * generated tokens.
 *
 * Ownership: everything is borrowed from the caller for the duration of the
 * call.  Errors: CS_OK when generation ended normally (see cs_gen_result
 * for why), CS_ERR_CANCELLED when *cancel was set or the callback asked to
 * stop (the text already delivered is a prefix, not a complete answer),
 * CS_ERR_LIMIT when the prompt does not fit the context, and any error of
 * cs_context_eval / allocation.
 * Thread-safety: one call per context at a time; *cancel may be set from
 * any thread.
 */
#ifndef CS_GENERATE_H
#define CS_GENERATE_H

#include "model.h"
#include "sampler.h"
#include "tokenizer.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Called once per generated token with the text it completes (len may be
 * 0), and once at the end with id -1 for any text still held back.  Return
 * non-zero to stop generating. */
typedef int (*cs_token_fn)(void *user, int32_t id, const char *text, size_t len);

typedef struct {
    int max_tokens;          /* at most this many generated tokens (> 0) */
    cs_sampler *sampler;     /* NULL: greedy */
    cs_token_fn on_token;    /* may be NULL */
    void *user;
    atomic_int *cancel;      /* may be NULL; checked before each token */
    int keep_eog;            /* 1: pass an end-of-generation token on (not as text) before stopping */
} cs_gen_params;

typedef enum {
    CS_GEN_EOG = 0,          /* the model produced an end-of-generation token */
    CS_GEN_LENGTH = 1,       /* max_tokens reached */
    CS_GEN_CONTEXT_FULL = 2, /* the KV cache is full */
    CS_GEN_STOPPED = 3       /* cancelled or stopped by the callback */
} cs_gen_stop;

typedef struct {
    int n_prompt;            /* prompt tokens evaluated */
    int n_generated;         /* tokens sampled (the end-of-generation token not counted) */
    cs_gen_stop stop;
    double prefill_seconds;  /* prompt evaluation */
    double decode_seconds;   /* everything after the first sampled token */
} cs_gen_result;

/* Continue ctx with prompt[n_prompt] (appended at the context's current
 * position) and generate.  res may be NULL. */
int cs_generate(cs_context *ctx, const cs_tokenizer *tok, const int32_t *prompt, size_t n_prompt,
                const cs_gen_params *p, cs_gen_result *res);

/* Monotonic seconds, for timings. */
double cs_now_seconds(void);

#endif
