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

/* Queues the pair if its text is a vocabulary entry; a = its byte size,
 * so a later merge of either side makes the entry stale. */
static int try_pair(const cs_tokenizer *t, const char *text, const symbol *sym, tok_heap *h, int32_t l, int32_t r)
{
    if (l < 0 || r < 0) return CS_OK;
    uint32_t size = sym[l].n + sym[r].n;
    int32_t id = cs_tokenizer_find(t, text + sym[l].start, size);
    if (id < 0) return CS_OK;
    return tok_heap_push(h, (tok_pair){-t->score[id], l, r, (int32_t)size, 0});
}

/* One segment: symbols, merges, output.  sym and h are scratch space of
 * at least len symbols, reused across segments. */
static int encode_segment(const cs_tokenizer *t, const char *text, size_t len, symbol *sym, tok_heap *h,
                          tok_vec *out)
{
    size_t n = 0;
    for (size_t off = 0; off < len; n++) {
        size_t k = tok_utf8_len((unsigned char)text[off]);
        if (k > len - off) k = len - off;
        sym[n] = (symbol){(uint32_t)off, (uint32_t)k, (int32_t)n - 1, -1};
        if (n) sym[n - 1].next = (int32_t)n;
        off += k;
    }
    int rc = CS_OK;
    h->n = 0;
    for (size_t i = 1; i < n && rc == CS_OK; i++) rc = try_pair(t, text, sym, h, (int32_t)i - 1, (int32_t)i);
    while (h->n && rc == CS_OK) {
        tok_pair p = tok_heap_pop(h);
        symbol *l = &sym[p.left], *r = &sym[p.right];
        if (!l->n || !r->n || (int32_t)(l->n + r->n) != p.a) continue;
        l->n += r->n;
        r->n = 0;
        l->next = r->next;
        if (r->next >= 0) sym[r->next].prev = p.left;
        rc = try_pair(t, text, sym, h, l->prev, p.left);
        if (rc == CS_OK) rc = try_pair(t, text, sym, h, p.left, l->next);
    }
    for (int32_t i = 0; n && i >= 0 && rc == CS_OK; i = sym[i].next) {
        int32_t id = cs_tokenizer_find(t, text + sym[i].start, sym[i].n);
        if (id >= 0) { rc = tok_vec_push(out, id); continue; }
        for (size_t j = 0; j < sym[i].n && rc == CS_OK; j++) {
            int32_t b = t->byte_tok[(unsigned char)text[sym[i].start + j]];
            if (b < 0) b = t->unk;
            if (b >= 0) rc = tok_vec_push(out, b);
        }
    }
    return rc;
}

static int is_space_mark(const char *p) /* U+2581 */
{
    return (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x96 && (unsigned char)p[2] == 0x81;
}

/* Where words start: a U+2581 after something else.  When no vocabulary
 * entry has U+2581 after another character (t->spm_word_split, true for the
 * Llama 2 vocabulary), no merge can cross such a point, so each word can be
 * merged on its own with the same result as the whole text, and a small heap
 * per word is much faster than one heap for the whole text. */
static size_t next_word(const char *text, size_t len, size_t from)
{
    for (size_t i = from + 1; i + 3 <= len; i++)
        if (is_space_mark(text + i) && !(i >= 3 && is_space_mark(text + i - 3))) return i;
    return len;
}

int tok_spm_encode(const cs_tokenizer *t, const char *text, size_t len, tok_vec *out)
{
    if (!len) return CS_OK;
    if (len > INT32_MAX / 4) return CS_ERR_TOO_LARGE;
    symbol *sym = malloc(len * sizeof *sym);
    tok_heap h = {0};
    if (!sym) return CS_ERR_NOMEM;
    int rc = CS_OK;
    for (size_t s = 0; s < len && rc == CS_OK;) {
        size_t e = t->spm_word_split ? next_word(text, len, s) : len;
        rc = encode_segment(t, text + s, e - s, sym, &h, out);
        s = e;
    }
    free(sym);
    free(h.v);
    return rc;
}
