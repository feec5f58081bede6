/*
 * sampler.h: turns a vector of next-token logits into one token id.
 *
 * Supports greedy (argmax), temperature, top-k, top-p (nucleus), min-p and a
 * repetition penalty over the last tokens, applied in llama.cpp's default
 * order: penalty, top-k, top-p, min-p, temperature, then a draw from a
 * seeded RNG.  The same seed and the same logits give the same tokens on
 * every platform (the RNG is a plain 64-bit xorshift, not rand()).
 *
 * Ownership: cs_sampler_new() allocates; cs_sampler_free() releases.  The
 * logits passed to cs_sampler_sample() are read, never written.
 * Errors: CS_ERR_INVALID for bad parameters, CS_ERR_NOMEM.
 * Thread-safety: a sampler is used by one thread at a time.
 */
#ifndef CS_SAMPLER_H
#define CS_SAMPLER_H

#include <stdint.h>

typedef struct {
    float temperature;    /* <= 0: greedy (argmax), the other fields unused */
    int top_k;            /* keep the k most likely tokens; 0 = all */
    float top_p;          /* keep the smallest set with mass >= top_p; 1 = off */
    float min_p;          /* drop tokens with p < min_p * p(best); 0 = off */
    float repeat_penalty; /* divide positive / multiply negative logits of recent tokens; 1 = off */
    int repeat_last_n;    /* how many recent tokens the penalty looks at */
    uint64_t seed;        /* RNG seed */
} cs_sampler_params;

/* Greedy decoding: what `--greedy` and the golden checks use. */
cs_sampler_params cs_sampler_greedy_params(void);
/* A sensible default for chat: temperature 0.7, top-k 40, top-p 0.95, min-p 0.05,
 * repetition penalty 1.1 over 64 tokens, the given seed. */
cs_sampler_params cs_sampler_default_params(uint64_t seed);

typedef struct cs_sampler cs_sampler;

int cs_sampler_new(const cs_sampler_params *p, int n_vocab, cs_sampler **out);
void cs_sampler_free(cs_sampler *s);

/* Record a token that is now part of the context (prompt or generated): the
 * repetition penalty looks at the last repeat_last_n of them. */
void cs_sampler_accept(cs_sampler *s, int token);
/* Forget the accepted tokens and reseed the RNG with the original seed. */
void cs_sampler_reset(cs_sampler *s);

/* Pick the next token from logits[n_vocab]. */
int cs_sampler_sample(cs_sampler *s, const float *logits);

/* Index of the largest value (the first one on ties); -1 when n <= 0. */
int cs_argmax(const float *x, int n);

#endif
