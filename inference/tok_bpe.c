/*
 * tok_bpe.c: byte-level BPE (the GGUF "gpt2" tokenizer model).
 *
 * Encoding one fragment of text:
 *   1. pre-tokenize: the pre-tokenizer's regexes (PCRE2, UTF + UCP) are
 *      applied in turn; each splits every current piece into its matches
 *      and the gaps between them;
 *   2. each piece's bytes start as one symbol each (the token of the
 *      printable code point GPT-2 maps that byte to);
 *   3. adjacent symbol pairs merge, lowest merge rank first (leftmost on
 *      ties), found through a hash map keyed by the pair's token ids and a
 *      binary heap, so a piece of n bytes costs O(n log n), not O(n^2).
 */
#include "cs_err.h"
#include "tok_internal.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- regexes */

/* The pre-tokenizer patterns as llama.cpp states them (llama-vocab.cpp). */
#define RE_GPT2 "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)"
#define RE_CONTRACTIONS "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
#define RE_LLAMA3 RE_CONTRACTIONS "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
#define RE_QWEN2 RE_CONTRACTIONS "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

static const struct {
    const char *names; /* space-separated tokenizer.ggml.pre values */
    const char *re[TOK_MAX_REGEX];
    int ignore_merges, add_bos;
} pre_table[] = {
    {"smollm starcoder refact command-r codeshell exaone minerva-7b", {"\\p{N}", RE_GPT2}, 0, 0},
    {"llama3 llama-v3 llama-bpe falcon3 pixtral", {RE_LLAMA3}, 1, 1},
    {"dbrx smaug-bpe", {RE_LLAMA3}, 0, 0},
    {"qwen2 deepseek-r1-qwen megrez stablelm2", {RE_QWEN2}, 0, 0},
    {"gpt-2 phi-2 mpt olmo jais jina-es jina-de jina-v1-en jina-v2-es jina-v2-de jina-v2-code "
     "roberta-bpe gigachat", {RE_GPT2}, 0, 0},
    {"default", {"[\\p{P}\\$\\+<=>\\^~\\|]+", RE_GPT2, "\\p{N}+", "[0-9][0-9][0-9]"}, 0, 0},
};

static int name_in(const char *name, const char *list)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ' ');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && !memcmp(p, name, n)) return 1;
        p += k + (e != NULL);
    }
    return 0;
}

/* ---------------------------------------------------------------- bytes */

/* GPT-2's bytes_to_unicode: printable Latin-1 bytes map to themselves, the
 * other 68 bytes to U+0100.. in byte order. */
unsigned tok_bpe_byte_to_cp(uint8_t b)
{
    if (b <= 32) return 256u + b;
    if (b >= 127 && b <= 160) return 256u + 33 + (b - 127u);
    if (b == 173) return 256u + 67;
    return b;
}

int tok_bpe_cp_to_byte(unsigned cp)
{
    if (cp < 256) return (cp <= 32 || (cp >= 127 && cp <= 160) || cp == 173) ? -1 : (int)cp;
    if (cp <= 256 + 32) return (int)(cp - 256);
    if (cp <= 256 + 66) return (int)(cp - 256 - 33 + 127);
    if (cp == 256 + 67) return 173;
    return -1;
}

static size_t put_cp(char *o, unsigned cp) /* cp < 0x800 here */
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
}

/* ---------------------------------------------------------------- merges */

static uint32_t pair_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (uint32_t)k;
}

static int find_merge(const cs_tokenizer *t, int32_t a, int32_t b, uint32_t *rank, int32_t *id)
{
    if (!t->merge_key || a < 0 || b < 0) return 0;
    uint64_t key = ((uint64_t)(a + 1) << 32) | (uint32_t)(b + 1);
    for (uint32_t i = pair_hash(key) & t->merge_mask;; i = (i + 1) & t->merge_mask) {
        if (!t->merge_key[i]) return 0;
        if (t->merge_key[i] == key) {
            *rank = t->merge_rank[i];
            *id = t->merge_id[i];
            return 1;
        }
    }
}

static int load_merges(cs_tokenizer *t, const cs_gguf *g, const char **why)
{
    const cs_gguf_str *m;
    uint64_t n;
    int rc = cs_gguf_get_arr_str(g, "tokenizer.ggml.merges", &m, &n);
    if (rc == CS_ERR_NOT_FOUND) { if (why) *why = "BPE tokenizer without tokenizer.ggml.merges"; return CS_ERR_FORMAT; }
    if (rc != CS_OK) { if (why) *why = "tokenizer.ggml.merges is not a string array"; return CS_ERR_FORMAT; }
    if (n > (1u << 24)) { if (why) *why = "too many merges"; return CS_ERR_FORMAT; }
    uint32_t size = 1;
    while (size < 2 * n + 2) size <<= 1;
    t->merge_key = calloc(size, sizeof *t->merge_key);
    t->merge_rank = malloc(size * sizeof *t->merge_rank);
    t->merge_id = malloc(size * sizeof *t->merge_id);
    t->merge_mask = size - 1;
    if (!t->merge_key || !t->merge_rank || !t->merge_id) return CS_ERR_NOMEM;
    char *joined = NULL;
    size_t cap = 0;
    for (uint64_t r = 0; r < n; r++) {
        const char *s = m[r].ptr;
        size_t len = m[r].len;
        const char *sp = len > 1 ? memchr(s + 1, ' ', len - 1) : NULL; /* "a b"; " " may start a */
        if (!sp) continue;
        size_t la = (size_t)(sp - s), lb = len - la - 1;
        int32_t a = cs_tokenizer_find(t, s, la), b = cs_tokenizer_find(t, sp + 1, lb);
        if (la + lb > cap) {
            char *p = realloc(joined, cap = (la + lb) * 2);
            if (!p) { free(joined); return CS_ERR_NOMEM; }
            joined = p;
        }
        memcpy(joined, s, la);
        memcpy(joined + la, sp + 1, lb);
        int32_t ab = cs_tokenizer_find(t, joined, la + lb);
        uint32_t old_rank;
        int32_t old_id;
        if (a < 0 || b < 0 || ab < 0 || find_merge(t, a, b, &old_rank, &old_id)) continue;
        uint64_t key = ((uint64_t)(a + 1) << 32) | (uint32_t)(b + 1);
        uint32_t i = pair_hash(key) & t->merge_mask;
        while (t->merge_key[i]) i = (i + 1) & t->merge_mask;
        t->merge_key[i] = key;
        t->merge_rank[i] = (uint32_t)r;
        t->merge_id[i] = ab;
    }
    free(joined);
    return CS_OK;
}

int tok_bpe_init(cs_tokenizer *t, const cs_gguf *g, const char **why)
{
    size_t p = 0;
    while (p < sizeof pre_table / sizeof *pre_table && !name_in(t->pre, pre_table[p].names)) p++;
    if (p == sizeof pre_table / sizeof *pre_table) {
        if (why) *why = "unknown BPE pre-tokenizer (tokenizer.ggml.pre)";
        return CS_ERR_UNSUPPORTED;
    }
    t->ignore_merges = pre_table[p].ignore_merges;
    t->add_bos = pre_table[p].add_bos;
    int rc = load_merges(t, g, why);
    if (rc != CS_OK) return rc;
    for (int b = 0; b < 256; b++) {
        char s[2];
        t->byte_tok[b] = cs_tokenizer_find(t, s, put_cp(s, tok_bpe_byte_to_cp((uint8_t)b)));
    }
    for (size_t i = 0; i < TOK_MAX_REGEX && pre_table[p].re[i]; i++) {
        int err;
        PCRE2_SIZE off;
        /* no PCRE2_MATCH_INVALID_UTF: without JIT (WASM) it re-scans the
         * rest of the subject on every call, quadratic on long text; the
         * encoder hands PCRE2 only valid UTF-8 instead */
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)pre_table[p].re[i], PCRE2_ZERO_TERMINATED,
                                       PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
        if (!re) { if (why) *why = "pre-tokenizer regex does not compile"; return CS_ERR_UNSUPPORTED; }
#ifndef __EMSCRIPTEN__
        /* falls back to the interpreter if JIT is absent; valgrind runs
         * (tests/cli/valgrind.sh) set CLINSUM_NO_JIT, as for redact */
        if (!getenv("CLINSUM_NO_JIT")) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
#endif
        t->re[t->n_re++] = re;
    }
    return CS_OK;
}

void tok_bpe_free(cs_tokenizer *t)
{
    for (size_t i = 0; i < t->n_re; i++) pcre2_code_free(t->re[i]);
    t->n_re = 0;
    free(t->merge_key);
    free(t->merge_rank);
    free(t->merge_id);
}

/* ---------------------------------------------------------------- encode */

typedef struct {
    size_t start, len;
    int raw; /* invalid UTF-8 byte: a piece of its own, never given to PCRE2 */
} span;
typedef struct { span *v; size_t n, cap; } span_vec;

static int span_push_raw(span_vec *s, size_t start, size_t len, int raw)
{
    if (!len) return CS_OK;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        span *p = realloc(s->v, cap * sizeof *p);
        if (!p) return CS_ERR_NOMEM;
        s->v = p;
        s->cap = cap;
    }
    s->v[s->n++] = (span){start, len, raw};
    return CS_OK;
}

static int span_push(span_vec *s, size_t start, size_t len) { return span_push_raw(s, start, len, 0); }

/* The text as runs of valid UTF-8 and single invalid bytes. */
static int utf8_runs(const char *text, size_t len, span_vec *out)
{
    size_t run = 0, i = 0;
    int rc = CS_OK;
    while (i < len && rc == CS_OK) {
        size_t need;
        if (tok_utf8_check((const unsigned char *)text + i, len - i, &need) == 1) { i += need; continue; }
        rc = span_push(out, run, i - run);
        if (rc == CS_OK) rc = span_push_raw(out, i, 1, 1);
        run = ++i;
    }
    return rc == CS_OK ? span_push(out, run, len - run) : rc;
}

/* Splits text[sp.start..+len) into matches of re and the gaps between. The
 * piece is the whole subject, so look-aheads stop at its end, as in
 * llama.cpp. */
static int split(const pcre2_code *re, pcre2_match_data *md, const char *text, span sp, span_vec *out)
{
    if (sp.raw) return span_push_raw(out, sp.start, sp.len, 1);
    const PCRE2_SPTR subj = (PCRE2_SPTR)(text + sp.start);
    size_t pos = 0, last = 0;
    int rc = CS_OK;
    while (pos < sp.len && rc == CS_OK) {
        int m = pcre2_match(re, subj, sp.len, pos, PCRE2_NO_UTF_CHECK, md, NULL);
        if (m < 0) break; /* no match (or a match limit): the rest is one gap */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] <= ov[0]) { /* empty match: step over one character */
            pos = ov[0] + tok_utf8_len(text[sp.start + ov[0]]);
            continue;
        }
        if (ov[0] > last) rc = span_push(out, sp.start + last, ov[0] - last);
        if (rc == CS_OK) rc = span_push(out, sp.start + ov[0], ov[1] - ov[0]);
        last = pos = ov[1];
    }
    if (rc == CS_OK && last < sp.len) rc = span_push(out, sp.start + last, sp.len - last);
    return rc;
}

typedef struct {
    int32_t id;
    int32_t prev, next; /* -1 at the ends */
} symbol;

typedef struct {
    symbol *sym;
    size_t cap;
    tok_heap heap;
    char *enc;          /* the word with bytes mapped, for ignore_merges */
} scratch;

/* Queues the pair if a merge joins it; a, b = the ids it joins, so a later
 * merge of either side makes the entry stale. */
static int try_pair(const cs_tokenizer *t, scratch *s, int32_t left, int32_t right)
{
    if (left < 0 || right < 0) return CS_OK;
    uint32_t rank;
    int32_t id;
    if (!find_merge(t, s->sym[left].id, s->sym[right].id, &rank, &id)) return CS_OK;
    return tok_heap_push(&s->heap, (tok_pair){(float)rank, left, right, s->sym[left].id, s->sym[right].id});
}

static int encode_word(const cs_tokenizer *t, const unsigned char *w, size_t n, scratch *s, tok_vec *out)
{
    if (n > s->cap) {
        size_t cap = n * 2;
        symbol *sym = realloc(s->sym, cap * sizeof *sym);
        if (sym) s->sym = sym;
        char *enc = realloc(s->enc, 2 * cap);
        if (enc) s->enc = enc;
        if (!sym || !enc) return CS_ERR_NOMEM;
        s->cap = cap;
    }
    if (t->ignore_merges) { /* Llama 3: a word that is a token stays whole */
        size_t k = 0;
        for (size_t i = 0; i < n; i++) k += put_cp(s->enc + k, tok_bpe_byte_to_cp(w[i]));
        int32_t id = cs_tokenizer_find(t, s->enc, k);
        if (id >= 0) return tok_vec_push(out, id);
    }
    for (size_t i = 0; i < n; i++)
        s->sym[i] = (symbol){t->byte_tok[w[i]], (int32_t)i - 1, i + 1 < n ? (int32_t)i + 1 : -1};
    s->heap.n = 0;
    int rc = CS_OK;
    for (size_t i = 1; i < n && rc == CS_OK; i++) rc = try_pair(t, s, (int32_t)i - 1, (int32_t)i);
    while (s->heap.n && rc == CS_OK) {
        tok_pair p = tok_heap_pop(&s->heap);
        symbol *l = &s->sym[p.left], *r = &s->sym[p.right];
        if (l->id != p.a || r->id != p.b || l->next != p.right) continue;
        uint32_t rank;
        find_merge(t, l->id, r->id, &rank, &l->id);
        r->id = -2; /* merged away */
        l->next = r->next;
        if (r->next >= 0) s->sym[r->next].prev = p.left;
        rc = try_pair(t, s, l->prev, p.left);
        if (rc == CS_OK) rc = try_pair(t, s, p.left, l->next);
    }
    if (rc != CS_OK) return rc;
    for (int32_t i = 0; i >= 0; i = s->sym[i].next)
        if (s->sym[i].id >= 0) {
            int rc = tok_vec_push(out, s->sym[i].id);
            if (rc != CS_OK) return rc;
        }
    return CS_OK;
}

int tok_bpe_encode(const cs_tokenizer *t, const char *text, size_t len, tok_vec *out)
{
    span_vec a = {0}, b = {0};
    scratch s = {0};
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc = md ? utf8_runs(text, len, &a) : CS_ERR_NOMEM;
    for (size_t r = 0; r < t->n_re && rc == CS_OK; r++) {
        b.n = 0;
        for (size_t i = 0; i < a.n && rc == CS_OK; i++) rc = split(t->re[r], md, text, a.v[i], &b);
        span_vec tmp = a;
        a = b;
        b = tmp;
    }
    for (size_t i = 0; i < a.n && rc == CS_OK; i++)
        rc = encode_word(t, (const unsigned char *)text + a.v[i].start, a.v[i].len, &s, out);
    pcre2_match_data_free(md);
    free(a.v);
    free(b.v);
    free(s.sym);
    free(s.heap.v);
    free(s.enc);
    return rc;
}
