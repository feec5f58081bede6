/*
 * rouge.c: ROUGE-N and ROUGE-L as rouge_score computes them (see rouge.h).
 *
 * Tokens are first mapped to integer ids (exact string equality), so
 * n-grams compare as small integer tuples and the LCS compares ints.
 */
#include "rouge.h"
#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- tokens */

static int is_alnum_ascii(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int cs_rouge_tokenize(const char *text, cs_rouge_tokens *out)
{
    memset(out, 0, sizeof *out);
    if (!text) text = "";
    size_t len = strlen(text), n = 0;
    out->buf = malloc(len + 1);
    if (!out->buf) return CS_ERR_NOMEM;
    /* Copy lower-cased, separators become NUL; count tokens. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_alnum_ascii(c)) {
            if (i == 0 || !is_alnum_ascii((unsigned char)text[i - 1])) n++;
            out->buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else {
            out->buf[i] = '\0';
        }
    }
    out->buf[len] = '\0';
    out->tok = malloc((n ? n : 1) * sizeof *out->tok);
    if (!out->tok) { free(out->buf); out->buf = NULL; return CS_ERR_NOMEM; }
    for (size_t i = 0; i < len; i++)
        if (out->buf[i] && (i == 0 || !out->buf[i - 1])) out->tok[out->n++] = out->buf + i;
    return CS_OK;
}

void cs_rouge_tokens_free(cs_rouge_tokens *t)
{
    free(t->tok);
    free(t->buf);
    memset(t, 0, sizeof *t);
}

/* -------------------------------------------------------------- ids */

typedef struct { const char *s; size_t pos; } tok_ref;

static int cmp_tok_ref(const void *a, const void *b)
{
    return strcmp(((const tok_ref *)a)->s, ((const tok_ref *)b)->s);
}

/* ids[0..a->n) for a, then ids[a->n..a->n+b->n) for b; equal strings share an id. */
static int *token_ids(const cs_rouge_tokens *a, const cs_rouge_tokens *b)
{
    size_t n = a->n + b->n;
    int *ids = malloc((n ? n : 1) * sizeof *ids);
    tok_ref *refs = malloc((n ? n : 1) * sizeof *refs);
    if (!ids || !refs) { free(ids); free(refs); return NULL; }
    for (size_t i = 0; i < a->n; i++) refs[i] = (tok_ref){a->tok[i], i};
    for (size_t i = 0; i < b->n; i++) refs[a->n + i] = (tok_ref){b->tok[i], a->n + i};
    qsort(refs, n, sizeof *refs, cmp_tok_ref);
    int id = -1;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(refs[i].s, refs[i - 1].s)) id++;
        ids[refs[i].pos] = id;
    }
    free(refs);
    return ids;
}

static void set_prf(double overlap, size_t n_cand, size_t n_ref, cs_rouge_prf *out)
{
    out->precision = n_cand ? overlap / (double)n_cand : 0.0;
    out->recall = n_ref ? overlap / (double)n_ref : 0.0;
    double s = out->precision + out->recall;
    out->f1 = s > 0 ? 2 * out->precision * out->recall / s : 0.0;
}

/* ----------------------------------------------------------- ROUGE-N */

typedef struct { const int *p; int n; int side; } ngram;

static int cmp_ngram(const void *a, const void *b)
{
    const ngram *x = a, *y = b;
    for (int i = 0; i < x->n; i++)
        if (x->p[i] != y->p[i]) return x->p[i] < y->p[i] ? -1 : 1;
    return x->side - y->side;
}

int cs_rouge_n(const cs_rouge_tokens *cand, const cs_rouge_tokens *ref, int n, cs_rouge_prf *out)
{
    memset(out, 0, sizeof *out);
    if (n < 1) return CS_ERR_INVALID;
    size_t nc = cand->n >= (size_t)n ? cand->n - (size_t)n + 1 : 0;
    size_t nr = ref->n >= (size_t)n ? ref->n - (size_t)n + 1 : 0;
    if (nc == 0 || nr == 0) return CS_OK;
    int *ids = token_ids(cand, ref);
    ngram *g = malloc((nc + nr) * sizeof *g);
    if (!ids || !g) { free(ids); free(g); return CS_ERR_NOMEM; }
    for (size_t i = 0; i < nc; i++) g[i] = (ngram){ids + i, n, 0};
    for (size_t i = 0; i < nr; i++) g[nc + i] = (ngram){ids + cand->n + i, n, 1};
    qsort(g, nc + nr, sizeof *g, cmp_ngram);
    /* Runs of equal n-grams: candidate copies sort before reference copies. */
    size_t overlap = 0;
    for (size_t i = 0; i < nc + nr;) {
        size_t j = i, c = 0, r = 0;
        while (j < nc + nr && !memcmp(g[j].p, g[i].p, (size_t)n * sizeof(int))) {
            if (g[j].side) r++; else c++;
            j++;
        }
        overlap += c < r ? c : r;
        i = j;
    }
    free(g);
    free(ids);
    set_prf((double)overlap, nc, nr, out);
    return CS_OK;
}

/* ----------------------------------------------------------- ROUGE-L */

int cs_rouge_l(const cs_rouge_tokens *cand, const cs_rouge_tokens *ref, cs_rouge_prf *out)
{
    memset(out, 0, sizeof *out);
    if (cand->n == 0 || ref->n == 0) return CS_OK;
    int *ids = token_ids(cand, ref);
    /* One DP row over the reference: row[j] = LCS(cand[0..i), ref[0..j)). */
    size_t m = ref->n;
    size_t *row = calloc(m + 1, sizeof *row);
    if (!ids || !row) { free(ids); free(row); return CS_ERR_NOMEM; }
    const int *a = ids, *b = ids + cand->n;
    for (size_t i = 0; i < cand->n; i++) {
        size_t diag = 0; /* row[j - 1] of the previous i */
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            if (a[i] == b[j - 1]) row[j] = diag + 1;
            else if (row[j - 1] > row[j]) row[j] = row[j - 1];
            diag = up;
        }
    }
    size_t lcs = row[m];
    free(row);
    free(ids);
    set_prf((double)lcs, cand->n, ref->n, out);
    return CS_OK;
}

int cs_rouge_score_texts(const char *candidate, const char *reference, cs_rouge_scores *out)
{
    memset(out, 0, sizeof *out);
    cs_rouge_tokens c, r;
    int rc = cs_rouge_tokenize(candidate, &c);
    if (rc != CS_OK) return rc;
    rc = cs_rouge_tokenize(reference, &r);
    if (rc != CS_OK) { cs_rouge_tokens_free(&c); return rc; }
    if (rc == CS_OK) rc = cs_rouge_n(&c, &r, 1, &out->rouge1);
    if (rc == CS_OK) rc = cs_rouge_n(&c, &r, 2, &out->rouge2);
    if (rc == CS_OK) rc = cs_rouge_l(&c, &r, &out->rougeL);
    cs_rouge_tokens_free(&c);
    cs_rouge_tokens_free(&r);
    return rc;
}
