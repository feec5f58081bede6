/*
 * rouge.h: ROUGE-1, ROUGE-2 and ROUGE-L F1 (Lin 2004), scored the way the
 * common Python `rouge_score` package does with its defaults, so figures
 * here compare with published ones.
 *
 * Tokenization (cs_rouge_tokenize): ASCII lower case; every run of
 * characters other than [a-z0-9] is a separator (so "don't" is "don" "t",
 * "40mg" is one token, non-ASCII letters separate); no stemming, no stop
 * words.
 * ROUGE-N: clipped n-gram overlap, sum over n-grams of min(count in
 * candidate, count in reference); precision = overlap / candidate n-grams,
 * recall = overlap / reference n-grams.
 * ROUGE-L: the longest common subsequence of the two whole token sequences
 * (rouge_score's "rougeL"; the text is NOT split into sentences, which is
 * what its "rougeLsum" does); P = LCS / candidate tokens, R = LCS /
 * reference tokens.
 * F1 = 2PR / (P + R), 0 when P + R = 0 (also for empty inputs).
 *
 * Ownership: cs_rouge_tokens owns its storage; free with
 * cs_rouge_tokens_free().  Errors: CS_OK or CS_ERR_NOMEM.  Thread-safe (no
 * shared state).  ROUGE-L costs O(n*m) time and O(m) memory.
 */
#ifndef CS_ROUGE_H
#define CS_ROUGE_H

#include <stddef.h>

typedef struct {
    char **tok;   /* n tokens, each NUL-terminated, pointing into `buf` */
    size_t n;
    char *buf;
} cs_rouge_tokens;

typedef struct {
    double precision, recall, f1;
} cs_rouge_prf;

typedef struct {
    cs_rouge_prf rouge1, rouge2, rougeL;
} cs_rouge_scores;

int cs_rouge_tokenize(const char *text, cs_rouge_tokens *out);
void cs_rouge_tokens_free(cs_rouge_tokens *t);

/* ROUGE-N of candidate against reference (n >= 1). */
int cs_rouge_n(const cs_rouge_tokens *cand, const cs_rouge_tokens *ref, int n,
               cs_rouge_prf *out);
/* ROUGE-L (whole-sequence LCS, rouge_score "rougeL"). */
int cs_rouge_l(const cs_rouge_tokens *cand, const cs_rouge_tokens *ref, cs_rouge_prf *out);
/* All three from raw texts. */
int cs_rouge_score_texts(const char *candidate, const char *reference, cs_rouge_scores *out);

#endif
