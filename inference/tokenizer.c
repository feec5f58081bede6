/*
 * tokenizer.c: loading the vocabulary from GGUF metadata, splitting out
 * special tokens, dispatching to BPE (tok_bpe.c) or SentencePiece
 * (tok_spm.c), and decoding ids back to UTF-8 (see tokenizer.h).
 *
 * The behaviour follows llama.cpp's llama-vocab.cpp, which produced the
 * golden token ids the tests compare against.
 */
#include "cs_err.h"
#include "cs_text.h"
#include "tok_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT ((size_t)1 << 30)

/* ---------------------------------------------------------------- helpers */

int tok_vec_push(tok_vec *v, int32_t id)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        int32_t *p = realloc(v->v, cap * sizeof *p);
        if (!p) return CS_ERR_NOMEM;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = id;
    return CS_OK;
}

static int pair_before(const tok_pair *x, const tok_pair *y)
{
    return x->key < y->key || (x->key == y->key && x->left < y->left);
}

int tok_heap_push(tok_heap *h, tok_pair p)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        tok_pair *v = realloc(h->v, cap * sizeof *v);
        if (!v) return CS_ERR_NOMEM;
        h->v = v;
        h->cap = cap;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!pair_before(&p, &h->v[parent])) break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = p;
    return CS_OK;
}

tok_pair tok_heap_pop(tok_heap *h)
{
    tok_pair top = h->v[0], last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && pair_before(&h->v[c + 1], &h->v[c])) c++;
        if (!pair_before(&h->v[c], &last)) break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n) h->v[i] = last;
    return top;
}

uint32_t tok_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

int32_t cs_tokenizer_find(const cs_tokenizer *t, const char *text, size_t len)
{
    for (uint32_t i = tok_hash(text, len) & t->slot_mask;; i = (i + 1) & t->slot_mask) {
        uint32_t s = t->slots[i];
        if (!s) return -1;
        uint32_t id = s - 1;
        if (t->len[id] == len && !memcmp(t->arena + t->off[id], text, len)) return (int32_t)id;
    }
}

static int fail(const char **why, const char *reason, int rc)
{
    if (why) *why = reason;
    return rc;
}

/* ---------------------------------------------------------------- loading */

static int load_vocab(cs_tokenizer *t, const cs_gguf *g, const char **why)
{
    const cs_gguf_str *tok;
    uint64_t n;
    int rc = cs_gguf_get_arr_str(g, "tokenizer.ggml.tokens", &tok, &n);
    if (rc != CS_OK) return fail(why, "no tokenizer.ggml.tokens string array", CS_ERR_FORMAT);
    if (n == 0 || n > (1u << 24)) return fail(why, "vocabulary size out of range", CS_ERR_FORMAT);
    t->n_vocab = (uint32_t)n;
    uint64_t total = 0;
    for (uint64_t i = 0; i < n; i++) total += tok[i].len + 1;
    if (total > UINT32_MAX) return fail(why, "vocabulary too large", CS_ERR_FORMAT);
    t->arena = malloc(total);
    t->off = malloc(n * sizeof *t->off);
    t->len = malloc(n * sizeof *t->len);
    t->score = calloc(n, sizeof *t->score);
    t->attr = malloc(n);
    uint32_t slots = 1;
    while (slots < 2 * n) slots <<= 1;
    t->slots = calloc(slots, sizeof *t->slots);
    t->slot_mask = slots - 1;
    if (!t->arena || !t->off || !t->len || !t->score || !t->attr || !t->slots) return CS_ERR_NOMEM;
    uint32_t pos = 0;
    for (uint64_t i = 0; i < n; i++) {
        t->off[i] = pos;
        t->len[i] = (uint32_t)tok[i].len;
        memcpy(t->arena + pos, tok[i].ptr, tok[i].len);
        pos += (uint32_t)tok[i].len;
        t->arena[pos++] = 0;
        t->attr[i] = CS_TOK_ATTR_NORMAL;
        /* first id wins for a duplicated text */
        if (cs_tokenizer_find(t, tok[i].ptr, tok[i].len) >= 0) continue;
        uint32_t h = tok_hash(tok[i].ptr, tok[i].len) & t->slot_mask;
        while (t->slots[h]) h = (h + 1) & t->slot_mask;
        t->slots[h] = (uint32_t)i + 1;
    }

    float *sc;
    uint64_t ns;
    rc = cs_gguf_get_arr_f32(g, "tokenizer.ggml.scores", &sc, &ns);
    if (rc == CS_OK) {
        if (ns < n) { free(sc); return fail(why, "fewer token scores than tokens", CS_ERR_FORMAT); }
        memcpy(t->score, sc, n * sizeof *sc);
        free(sc);
    } else if (rc != CS_ERR_NOT_FOUND) {
        return rc == CS_ERR_NOMEM ? rc : fail(why, "tokenizer.ggml.scores is not a float array", CS_ERR_FORMAT);
    }

    int32_t *ty;
    uint64_t nt;
    rc = cs_gguf_get_arr_i32(g, "tokenizer.ggml.token_type", &ty, &nt);
    if (rc == CS_OK) {
        if (nt < n) { free(ty); return fail(why, "fewer token types than tokens", CS_ERR_FORMAT); }
        static const uint8_t map[7] = {0, CS_TOK_ATTR_NORMAL, CS_TOK_ATTR_UNKNOWN, CS_TOK_ATTR_CONTROL,
                                       CS_TOK_ATTR_USER_DEFINED, CS_TOK_ATTR_UNUSED, CS_TOK_ATTR_BYTE};
        for (uint64_t i = 0; i < n; i++) t->attr[i] = ty[i] >= 0 && ty[i] < 7 ? map[ty[i]] : 0;
        free(ty);
    } else if (rc != CS_ERR_NOT_FOUND) {
        return rc == CS_ERR_NOMEM ? rc : fail(why, "tokenizer.ggml.token_type is not an integer array", CS_ERR_FORMAT);
    }
    return CS_OK;
}

static void get_id(const cs_gguf *g, const cs_tokenizer *t, const char *key, int32_t *id)
{
    uint32_t v;
    if (*id >= (int32_t)t->n_vocab) *id = -1;
    if (cs_gguf_get_u32(g, key, &v) == CS_OK && v < t->n_vocab) *id = (int32_t)v;
}

static void get_flag(const cs_gguf *g, const char *key, int *flag)
{
    int v;
    if (cs_gguf_get_bool(g, key, &v) == CS_OK) *flag = v;
}

static int is_one_of(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && !memcmp(*list, s, n)) return 1;
    return 0;
}

static void add_eog(cs_tokenizer *t, int32_t id)
{
    if (id < 0) return;
    for (size_t i = 0; i < t->n_eog; i++)
        if (t->eog[i] == id) return;
    if (t->n_eog < TOK_MAX_EOG) t->eog[t->n_eog++] = id;
}

/* End-of-turn tokens found by their text, as llama.cpp does, since GGUF
 * files rarely name them. */
static void find_eog(cs_tokenizer *t)
{
    static const char *const eot_texts[] = {"<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
                                            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>",
                                            "<end_of_utterance>", NULL};
    static const char *const eog_texts[] = {"<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
                                            "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>",
                                            "<|end_of_text|>", "<end_of_utterance>", NULL};
    for (uint32_t id = 0; id < t->n_vocab; id++) {
        const char *s = t->arena + t->off[id];
        size_t n = t->len[id];
        if (n < 5 || (s[0] != '<' && s[0] != '_')) continue;
        if (t->eot < 0 && is_one_of(s, n, eot_texts)) t->eot = (int32_t)id;
        if (t->eom < 0 && n == 10 && !memcmp(s, "<|eom_id|>", 10)) t->eom = (int32_t)id;
        if (is_one_of(s, n, eog_texts)) {
            add_eog(t, (int32_t)id);
            t->attr[id] |= CS_TOK_ATTR_CONTROL;
        }
    }
    add_eog(t, t->eos);
    add_eog(t, t->eot);
    add_eog(t, t->eom);
}

typedef struct {
    uint32_t len;
    int32_t id;
} special_key;

static int longest_first(const void *a, const void *b)
{
    const special_key *x = a, *y = b;
    if (x->len != y->len) return x->len > y->len ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id; /* deterministic among equals */
}

/* Control, user-defined and unknown tokens, longest text first, as
 * llama.cpp matches them in the text. */
static int collect_specials(cs_tokenizer *t)
{
    const unsigned mask = CS_TOK_ATTR_CONTROL | CS_TOK_ATTR_USER_DEFINED | CS_TOK_ATTR_UNKNOWN;
    size_t n = 0;
    for (uint32_t id = 0; id < t->n_vocab; id++) n += (t->attr[id] & mask) && t->len[id];
    special_key *keys = malloc((n ? n : 1) * sizeof *keys);
    t->specials = malloc((n ? n : 1) * sizeof *t->specials);
    if (!keys || !t->specials) { free(keys); return CS_ERR_NOMEM; }
    for (uint32_t id = 0; id < t->n_vocab; id++)
        if ((t->attr[id] & mask) && t->len[id]) keys[t->n_specials++] = (special_key){t->len[id], (int32_t)id};
    qsort(keys, t->n_specials, sizeof *keys, longest_first);
    for (size_t i = 0; i < t->n_specials; i++) t->specials[i] = keys[i].id;
    free(keys);
    return CS_OK;
}

/* A <0xXX> byte token's value, or -1. */
static int hex_byte(const char *s, size_t n)
{
    if (n != 6 || memcmp(s, "<0x", 3) || s[5] != '>') return -1;
    int v = 0;
    for (int i = 3; i < 5; i++) {
        char c = s[i];
        v = v * 16 + (c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1000);
    }
    return v < 0 ? -1 : v;
}

/* Decoded bytes of one token with special tokens rendered; written to b. */
static int render_piece(const cs_tokenizer *t, uint32_t id, cs_buf *b)
{
    const char *s = t->arena + t->off[id];
    size_t n = t->len[id];
    unsigned a = t->attr[id];
    if (a & (CS_TOK_ATTR_UNKNOWN | CS_TOK_ATTR_CONTROL | CS_TOK_ATTR_USER_DEFINED))
        return cs_buf_append(b, s, n);
    if (a & CS_TOK_ATTR_BYTE) {
        int v = hex_byte(s, n);
        if (v >= 0) return cs_buf_putc(b, (char)v);
        return t->kind == CS_TOK_BPE ? CS_OK : cs_buf_append(b, s, n);
    }
    if (!(a & CS_TOK_ATTR_NORMAL)) return CS_OK; /* unused / undefined */
    if (t->kind == CS_TOK_SPM) {
        for (size_t i = 0; i < n; i++) {
            if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x96 &&
                (unsigned char)s[i + 2] == 0x81) {
                if (cs_buf_putc(b, ' ') != CS_OK) return CS_ERR_NOMEM;
                i += 2;
            } else if (cs_buf_putc(b, s[i]) != CS_OK) {
                return CS_ERR_NOMEM;
            }
        }
        return CS_OK;
    }
    /* byte-level BPE: each code point stands for one byte */
    for (size_t i = 0; i < n;) {
        size_t k;
        unsigned cp = cs_utf8_decode(s + i, n - i, &k);
        int byte = tok_bpe_cp_to_byte(cp);
        int rc = byte >= 0 ? cs_buf_putc(b, (char)byte) : cs_buf_append(b, s + i, k);
        if (rc != CS_OK) return rc;
        i += k;
    }
    return CS_OK;
}

static int build_pieces(cs_tokenizer *t)
{
    cs_buf b = {0};
    t->piece_off = malloc(t->n_vocab * sizeof *t->piece_off);
    t->piece_len = malloc(t->n_vocab * sizeof *t->piece_len);
    if (!t->piece_off || !t->piece_len) return CS_ERR_NOMEM;
    for (uint32_t id = 0; id < t->n_vocab; id++) {
        size_t start = b.len;
        if (render_piece(t, id, &b) != CS_OK) { cs_buf_free(&b); return CS_ERR_NOMEM; }
        if (b.len > UINT32_MAX) { cs_buf_free(&b); return CS_ERR_NOMEM; }
        t->piece_off[id] = (uint32_t)start;
        t->piece_len[id] = (uint32_t)(b.len - start);
    }
    t->piece_arena = cs_buf_take(&b);
    return t->piece_arena ? CS_OK : CS_ERR_NOMEM;
}

int cs_tokenizer_load(const cs_gguf *g, cs_tokenizer **out, const char **why)
{
    *out = NULL;
    const char *model;
    if (cs_gguf_get_str(g, "tokenizer.ggml.model", &model) != CS_OK)
        return fail(why, "no tokenizer.ggml.model", CS_ERR_FORMAT);
    cs_tok_kind kind;
    if (!strcmp(model, "llama")) kind = CS_TOK_SPM;
    else if (!strcmp(model, "gpt2")) kind = CS_TOK_BPE;
    else return fail(why, "unsupported tokenizer model (only gpt2 and llama)", CS_ERR_UNSUPPORTED);

    cs_tokenizer *t = calloc(1, sizeof *t);
    if (!t) return CS_ERR_NOMEM;
    t->kind = kind;
    const char *pre = "default";
    cs_gguf_get_str(g, "tokenizer.ggml.pre", &pre);
    snprintf(t->pre, sizeof t->pre, "%s", pre);
    for (int b = 0; b < 256; b++) t->byte_tok[b] = -1;

    int rc = load_vocab(t, g, why);
    if (rc != CS_OK) goto fail;

    if (kind == CS_TOK_SPM) {
        t->bos = 1; t->eos = 2; t->unk = 0;
        t->add_bos = 1;
        t->add_space_prefix = 1;
        for (int b = 0; b < 256; b++) {
            char hex[7];
            snprintf(hex, sizeof hex, "<0x%02X>", b);
            t->byte_tok[b] = cs_tokenizer_find(t, hex, 6);
            if (t->byte_tok[b] < 0) {
                char c = (char)b;
                t->byte_tok[b] = cs_tokenizer_find(t, &c, 1);
            }
        }
        t->spm_word_split = 1;
        for (uint32_t id = 0; id < t->n_vocab && t->spm_word_split; id++) {
            const char *s = t->arena + t->off[id];
            for (size_t i = 1; i + 3 <= t->len[id]; i++)
                if (!memcmp(s + i, "\xE2\x96\x81", 3) && !(i >= 3 && !memcmp(s + i - 3, "\xE2\x96\x81", 3))) {
                    t->spm_word_split = 0;
                    break;
                }
        }
    } else {
        t->bos = 11; t->eos = 11; t->unk = -1; /* llama.cpp's BPE defaults */
        if ((rc = tok_bpe_init(t, g, why)) != CS_OK) goto fail;
    }
    t->eot = t->eom = -1;
    get_id(g, t, "tokenizer.ggml.bos_token_id", &t->bos);
    get_id(g, t, "tokenizer.ggml.eos_token_id", &t->eos);
    get_id(g, t, "tokenizer.ggml.unknown_token_id", &t->unk);
    get_id(g, t, "tokenizer.ggml.eot_token_id", &t->eot);
    get_id(g, t, "tokenizer.ggml.eom_token_id", &t->eom);
    get_flag(g, "tokenizer.ggml.add_bos_token", &t->add_bos);
    get_flag(g, "tokenizer.ggml.add_eos_token", &t->add_eos);
    get_flag(g, "tokenizer.ggml.add_space_prefix", &t->add_space_prefix);
    if (t->add_bos && t->bos < 0) { rc = fail(why, "add_bos_token set but no BOS token", CS_ERR_FORMAT); goto fail; }
    if (t->add_eos && t->eos < 0) { rc = fail(why, "add_eos_token set but no EOS token", CS_ERR_FORMAT); goto fail; }
    find_eog(t);
    if ((rc = collect_specials(t)) != CS_OK || (rc = build_pieces(t)) != CS_OK) goto fail;
    *out = t;
    return CS_OK;
fail:
    cs_tokenizer_free(t);
    return rc;
}

void cs_tokenizer_free(cs_tokenizer *t)
{
    if (!t) return;
    if (t->kind == CS_TOK_BPE) tok_bpe_free(t);
    free(t->arena);
    free(t->off);
    free(t->len);
    free(t->score);
    free(t->attr);
    free(t->slots);
    free(t->piece_arena);
    free(t->piece_off);
    free(t->piece_len);
    free(t->specials);
    free(t);
}

/* ---------------------------------------------------------------- accessors */

cs_tok_kind cs_tokenizer_kind(const cs_tokenizer *t) { return t->kind; }
const char *cs_tokenizer_pre(const cs_tokenizer *t) { return t->pre; }
uint32_t cs_tokenizer_n_vocab(const cs_tokenizer *t) { return t->n_vocab; }
int32_t cs_tokenizer_bos(const cs_tokenizer *t) { return t->bos; }
int32_t cs_tokenizer_eos(const cs_tokenizer *t) { return t->eos; }
int cs_tokenizer_add_bos(const cs_tokenizer *t) { return t->add_bos; }

int cs_tokenizer_is_eog(const cs_tokenizer *t, int32_t id)
{
    for (size_t i = 0; i < t->n_eog; i++)
        if (t->eog[i] == id) return 1;
    return 0;
}

unsigned cs_tokenizer_attr(const cs_tokenizer *t, int32_t id)
{
    return id >= 0 && (uint32_t)id < t->n_vocab ? t->attr[id] : 0;
}

const char *cs_tokenizer_text(const cs_tokenizer *t, int32_t id, size_t *len)
{
    if (id < 0 || (uint32_t)id >= t->n_vocab) return NULL;
    if (len) *len = t->len[id];
    return t->arena + t->off[id];
}

/* ---------------------------------------------------------------- encode */

typedef struct {
    size_t start, len;
    int32_t id; /* -1: raw text */
} fragment;

typedef struct {
    fragment *v;
    size_t n, cap;
} frag_vec;

static int frag_push(frag_vec *f, size_t start, size_t len, int32_t id)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        fragment *p = realloc(f->v, cap * sizeof *p);
        if (!p) return CS_ERR_NOMEM;
        f->v = p;
        f->cap = cap;
    }
    f->v[f->n++] = (fragment){start, len, id};
    return CS_OK;
}

/* Splits raw-text fragments at every occurrence of each special token,
 * longest tokens first (llama.cpp's tokenizer_st_partition). */
static int split_specials(const cs_tokenizer *t, const char *text, size_t len, int parse_special, frag_vec *out)
{
    frag_vec cur = {0}, next = {0};
    int rc = len ? frag_push(&cur, 0, len, -1) : CS_OK;
    for (size_t s = 0; s < t->n_specials && rc == CS_OK; s++) {
        int32_t id = t->specials[s];
        if (!parse_special && (t->attr[id] & (CS_TOK_ATTR_CONTROL | CS_TOK_ATTR_UNKNOWN))) continue;
        const char *pat = t->arena + t->off[id];
        size_t plen = t->len[id];
        int found = 0;
        for (size_t i = 0; i < cur.n && !found; i++)
            found = cur.v[i].id < 0 && cur.v[i].len >= plen &&
                    memmem(text + cur.v[i].start, cur.v[i].len, pat, plen) != NULL;
        if (!found) continue;
        next.n = 0;
        for (size_t i = 0; i < cur.n && rc == CS_OK; i++) {
            fragment f = cur.v[i];
            if (f.id >= 0) { rc = frag_push(&next, f.start, f.len, f.id); continue; }
            size_t pos = f.start, end = f.start + f.len;
            while (rc == CS_OK && pos < end) {
                const char *m = memmem(text + pos, end - pos, pat, plen);
                if (!m) { rc = frag_push(&next, pos, end - pos, -1); break; }
                size_t at = (size_t)(m - text);
                if (at > pos) rc = frag_push(&next, pos, at - pos, -1);
                if (rc == CS_OK) rc = frag_push(&next, at, plen, id);
                pos = at + plen;
            }
        }
        frag_vec tmp = cur;
        cur = next;
        next = tmp;
    }
    free(next.v);
    if (rc != CS_OK) { free(cur.v); return rc; }
    *out = cur;
    return CS_OK;
}

int cs_tokenize(const cs_tokenizer *t, const char *text, size_t len, unsigned flags, int32_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    if (len > MAX_TEXT) return CS_ERR_TOO_LARGE;
    if (!text) text = "";
    frag_vec frags;
    int rc = split_specials(t, text, len, !!(flags & CS_TOK_PARSE_SPECIAL), &frags);
    if (rc != CS_OK) return rc;
    tok_vec out = {0};
    int add_special = !!(flags & CS_TOK_ADD_SPECIAL);
    if (add_special && t->add_bos) rc = tok_vec_push(&out, t->bos);
    char *buf = NULL;
    int prev_special = 1; /* SentencePiece: a space before the first text */
    for (size_t i = 0; i < frags.n && rc == CS_OK; i++) {
        const fragment *f = &frags.v[i];
        if (f->id >= 0) {
            rc = tok_vec_push(&out, f->id);
            prev_special = 1;
        } else if (t->kind == CS_TOK_BPE) {
            rc = tok_bpe_encode(t, text + f->start, f->len, &out);
        } else {
            /* SentencePiece sees spaces as U+2581 (3 bytes) */
            char *p = realloc(buf, 3 * f->len + 3);
            if (!p) { rc = CS_ERR_NOMEM; break; }
            buf = p;
            size_t k = 0;
            if (t->add_space_prefix && prev_special) { memcpy(buf, "\xE2\x96\x81", 3); k = 3; }
            for (size_t j = 0; j < f->len; j++) {
                char c = text[f->start + j];
                if (c == ' ') { memcpy(buf + k, "\xE2\x96\x81", 3); k += 3; }
                else buf[k++] = c;
            }
            rc = tok_spm_encode(t, buf, k, &out);
            prev_special = 0;
        }
    }
    free(buf);
    free(frags.v);
    if (rc == CS_OK && add_special && t->add_eos) rc = tok_vec_push(&out, t->eos);
    if (rc == CS_OK && !out.v) rc = tok_vec_push(&out, 0), out.n = 0; /* non-NULL empty result */
    if (rc != CS_OK) { free(out.v); return rc; }
    *ids = out.v;
    *n = out.n;
    return CS_OK;
}

/* ---------------------------------------------------------------- decode */

const char *cs_tokenizer_piece(const cs_tokenizer *t, int32_t id, int special, size_t *len)
{
    if (id < 0 || (uint32_t)id >= t->n_vocab) { *len = 0; return ""; }
    if (!special && (t->attr[id] & (CS_TOK_ATTR_CONTROL | CS_TOK_ATTR_UNKNOWN))) { *len = 0; return ""; }
    *len = t->piece_len[id];
    return t->piece_arena + t->piece_off[id];
}

void cs_tok_decoder_init(cs_tok_decoder *d, const cs_tokenizer *t, unsigned flags)
{
    memset(d, 0, sizeof *d);
    d->tok = t;
    d->flags = flags;
}

int tok_utf8_check(const unsigned char *p, size_t n, size_t *need)
{
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) { *need = 1; return 1; }
    if (c < 0xC2 || c > 0xF4) return -1;
    if (c < 0xE0) *need = 2;
    else if (c < 0xF0) { *need = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
    else { *need = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
    for (size_t i = 1; i < n && i < *need; i++) {
        unsigned x = p[i];
        if (i == 1 ? (x < lo || x > hi) : (x < 0x80 || x > 0xBF)) return -1;
    }
    return n >= *need ? 1 : 0;
}

static int decoder_bytes(cs_tok_decoder *d, const unsigned char *s, size_t n, cs_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        d->pend[d->n_pend++] = s[i];
        for (;;) {
            size_t need;
            int st = tok_utf8_check(d->pend, d->n_pend, &need);
            if (st == 0) break;
            if (st > 0) {
                if (cs_buf_append(out, d->pend, need) != CS_OK) return CS_ERR_NOMEM;
                d->n_pend = 0;
                break;
            }
            /* invalid: the first byte becomes U+FFFD, the rest is retried */
            if (cs_buf_append(out, "\xEF\xBF\xBD", 3) != CS_OK) return CS_ERR_NOMEM;
            memmove(d->pend, d->pend + 1, --d->n_pend);
            if (!d->n_pend) break;
        }
    }
    return CS_OK;
}

int cs_tok_decoder_push(cs_tok_decoder *d, int32_t id, cs_buf *out)
{
    size_t n;
    const char *p = cs_tokenizer_piece(d->tok, id, d->flags & CS_DETOK_SPECIAL, &n);
    if (!d->started) {
        d->started = 1;
        if ((d->flags & CS_DETOK_STRIP_SPACE) && n && *p == ' ') { p++; n--; }
    }
    return decoder_bytes(d, (const unsigned char *)p, n, out);
}

int cs_tok_decoder_flush(cs_tok_decoder *d, cs_buf *out)
{
    int rc = d->n_pend ? cs_buf_append(out, "\xEF\xBF\xBD", 3) : CS_OK;
    d->n_pend = 0;
    return rc;
}

int cs_detokenize(const cs_tokenizer *t, const int32_t *ids, size_t n, unsigned flags, char **out, size_t *len)
{
    cs_tok_decoder d;
    cs_buf b = {0};
    cs_tok_decoder_init(&d, t, flags);
    int rc = cs_buf_reserve(&b, 16);
    for (size_t i = 0; i < n && rc == CS_OK; i++) rc = cs_tok_decoder_push(&d, ids[i], &b);
    if (rc == CS_OK) rc = cs_tok_decoder_flush(&d, &b);
    if (rc != CS_OK) { cs_buf_free(&b); *out = NULL; return rc; }
    if (len) *len = b.len;
    *out = cs_buf_take(&b);
    return CS_OK;
}
