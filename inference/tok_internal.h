/*
 * tok_internal.h: the tokenizer's shared state, seen by tokenizer.c (load,
 * special tokens, decoding), tok_bpe.c and tok_spm.c.  Not a public header.
 */
#ifndef CS_TOK_INTERNAL_H
#define CS_TOK_INTERNAL_H

#include "tokenizer.h"

#include <stddef.h>
#include <stdint.h>

#define TOK_MAX_REGEX 4
#define TOK_MAX_EOG 16

/* growable id array */
typedef struct {
    int32_t *v;
    size_t n, cap;
} tok_vec;

int tok_vec_push(tok_vec *v, int32_t id);

struct cs_tokenizer {
    cs_tok_kind kind;
    char pre[32];
    uint32_t n_vocab;

    /* vocabulary: text of id i is arena[off[i] .. off[i]+len[i]) */
    char *arena;
    uint32_t *off, *len;
    float *score;          /* SentencePiece merge priority; 0 for BPE */
    uint8_t *attr;         /* CS_TOK_ATTR_* */

    /* text -> id, open addressing; slot holds id + 1, 0 = empty */
    uint32_t *slots;
    uint32_t slot_mask;

    /* decoded bytes of each token (special tokens rendered) */
    char *piece_arena;
    uint32_t *piece_off, *piece_len;

    int32_t *specials;     /* control/user-defined/unknown ids, longest text first */
    size_t n_specials;

    int32_t bos, eos, eot, eom, unk;
    int32_t eog[TOK_MAX_EOG];
    size_t n_eog;
    int add_bos, add_eos, add_space_prefix, ignore_merges;
    int spm_word_split;    /* no entry has U+2581 after another character */

    /* byte -> token: BPE the byte's mapped character, SPM <0xXX> */
    int32_t byte_tok[256];

    /* BPE merges: (left id, right id) -> rank and merged id */
    uint64_t *merge_key;   /* (left + 1) << 32 | (right + 1); 0 = empty */
    uint32_t *merge_rank;
    int32_t *merge_id;
    uint32_t merge_mask;

    /* BPE pre-tokenizer regexes (pcre2_code *), applied in order */
    void *re[TOK_MAX_REGEX];
    size_t n_re;
};

/* FNV-1a, shared by the vocabulary table */
uint32_t tok_hash(const char *s, size_t n);

/* BPE: load merges and regexes; encode one raw-text fragment. */
int tok_bpe_init(cs_tokenizer *t, const cs_gguf *g, const char **why);
void tok_bpe_free(cs_tokenizer *t);
int tok_bpe_encode(const cs_tokenizer *t, const char *text, size_t len, tok_vec *out);
/* The code point byte b maps to in byte-level BPE, and back (-1 if none). */
unsigned tok_bpe_byte_to_cp(uint8_t b);
int tok_bpe_cp_to_byte(unsigned cp);

/* SentencePiece: encode one raw-text fragment (space already prefixed by
 * the caller as llama.cpp does). */
int tok_spm_encode(const cs_tokenizer *t, const char *text, size_t len, tok_vec *out);

/* A min-heap of candidate merges, shared by BPE and SentencePiece: lowest
 * key first, leftmost on ties (llama.cpp's order).  BPE keys are merge
 * ranks (exact in a float below 2^24), SentencePiece keys are -score.
 * a, b: what the pair looked like when pushed, to recognise stale entries. */
typedef struct {
    float key;
    int32_t left, right;
    int32_t a, b;
} tok_pair;

typedef struct {
    tok_pair *v;
    size_t n, cap;
} tok_heap;

int tok_heap_push(tok_heap *h, tok_pair p);  /* CS_OK or CS_ERR_NOMEM */
tok_pair tok_heap_pop(tok_heap *h);          /* h->n > 0 */

/* Strict UTF-8 (RFC 3629: no overlongs, surrogates or code points past
 * U+10FFFF, the same rule as PCRE2's): *need = bytes the sequence starting
 * at p[0] takes (1-4); returns 1 if p[0..n) holds all of it validly, 0 if
 * valid so far but cut short, -1 if invalid. */
int tok_utf8_check(const unsigned char *p, size_t n, size_t *need);

/* Length of the UTF-8 sequence starting with byte c, as llama.cpp counts
 * it (a stray continuation byte counts as 1). */
static inline size_t tok_utf8_len(unsigned char c)
{
    static const uint8_t lookup[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return lookup[c >> 4];
}

#endif
