/*
 * tok_spm.c: SentencePiece BPE (the GGUF "llama" tokenizer model).
 *
 * The text (spaces already turned into U+2581 by the caller) starts as one
 * symbol per UTF-8 character.  Any two adjacent symbols whose concatenation
 * is a vocabulary entry may merge; the pair whose entry has the highest
 * score merges first (leftmost on ties), through a binary heap.  Symbols
 * that end up outside the vocabulary are written as byte tokens <0xXX>.
 */
#include "cs_err.h"
#include "tok_internal.h"

#include <stdint.h>
#include <stdlib.h>

typedef struct {
    uint32_t start, n;  /* bytes of text; n == 0 once merged away */
    int32_t prev, next;
} symbol;

typedef struct {
    float score;
    int32_t left, right;
    uint32_t size;      /* bytes of the pair when pushed: stale if changed */
} bigram;

typedef struct {
    bigram *v;
    size_t n, cap;
    int oom;
} heap;

static int before(const bigram *a, const bigram *b)
{
    return a->score > b->score || (a->score == b->score && a->left < b->left);
}

static void push(heap *h, bigram b)
{
    if (h->n == h->cap) {
        size_t cap = h->cap * 2;
        bigram *v = realloc(h->v, cap * sizeof *v);
        if (!v) { h->oom = 1; return; }
        h->v = v;
        h->cap = cap;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&b, &h->v[p])) break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = b;
}

static bigram pop(heap *h)
{
    bigram top = h->v[0], last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && before(&h->v[c + 1], &h->v[c])) c++;
        if (!before(&h->v[c], &last)) break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n) h->v[i] = last;
    return top;
}

static void try_pair(const cs_tokenizer *t, const char *text, const symbol *sym, heap *h, int32_t l, int32_t r)
{
    if (l < 0 || r < 0) return;
    uint32_t size = sym[l].n + sym[r].n;
    int32_t id = cs_tokenizer_find(t, text + sym[l].start, size);
    if (id < 0) return;
    push(h, (bigram){t->score[id], l, r, size});
}

int tok_spm_encode(const cs_tokenizer *t, const char *text, size_t len, tok_vec *out)
{
    if (!len) return CS_OK;
    if (len > INT32_MAX / 4) return CS_ERR_TOO_LARGE;
    symbol *sym = malloc(len * sizeof *sym);
    heap h = {malloc(len * sizeof *h.v), 0, len, 0};
    if (!sym || !h.v) { free(sym); free(h.v); return CS_ERR_NOMEM; }
    size_t n = 0;
    for (size_t off = 0; off < len; n++) {
        size_t k = tok_utf8_len((unsigned char)text[off]);
        if (k > len - off) k = len - off;
        sym[n] = (symbol){(uint32_t)off, (uint32_t)k, (int32_t)n - 1, -1};
        if (n) sym[n - 1].next = (int32_t)n;
        off += k;
    }
    for (size_t i = 1; i < n; i++) try_pair(t, text, sym, &h, (int32_t)i - 1, (int32_t)i);
    while (h.n) {
        bigram b = pop(&h);
        symbol *l = &sym[b.left], *r = &sym[b.right];
        if (!l->n || !r->n || l->n + r->n != b.size) continue;
        l->n += r->n;
        r->n = 0;
        l->next = r->next;
        if (r->next >= 0) sym[r->next].prev = b.left;
        try_pair(t, text, sym, &h, l->prev, b.left);
        try_pair(t, text, sym, &h, b.left, l->next);
    }
    int rc = h.oom ? CS_ERR_NOMEM : CS_OK;
    for (int32_t i = 0; i >= 0 && rc == CS_OK; i = sym[i].next) {
        int32_t id = cs_tokenizer_find(t, text + sym[i].start, sym[i].n);
        if (id >= 0) { rc = tok_vec_push(out, id); continue; }
        for (size_t j = 0; j < sym[i].n && rc == CS_OK; j++) {
            int32_t b = t->byte_tok[(unsigned char)text[sym[i].start + j]];
            if (b < 0) b = t->unk;
            if (b >= 0) rc = tok_vec_push(out, b);
        }
    }
    free(sym);
    free(h.v);
    return rc;
}
