/*
 * redact_dict.c: hash table over the generated word blob (see
 * redact_dict.h).  The blob is "<flags>word\n" repeated; slots store the
 * offset of the word so no string is copied.
 */
#include "redact_dict.h"

#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash_fold(const char *w, size_t n)
{
    uint32_t h = 2166136261u;  /* FNV-1a over lower-cased bytes */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c >= 'A' && c <= 'Z') c += 32;
        h = (h ^ c) * 16777619u;
    }
    return h;
}

static size_t word_len(size_t off)
{
    const char *e = memchr(cs_dict_blob + off, '\n', cs_dict_blob_len - off);
    return e ? (size_t)(e - (cs_dict_blob + off)) : cs_dict_blob_len - off;
}

int cs_dict_build(cs_dict *d)
{
    size_t size = 1;
    while (size < cs_dict_words * 2) size <<= 1;
    d->slots = calloc(size, sizeof *d->slots);
    d->lens = calloc(size, 1);
    if (!d->slots || !d->lens) { cs_dict_free(d); return CS_ERR_NOMEM; }
    d->mask = size - 1;
    size_t off = 0;
    while (off < cs_dict_blob_len) {
        size_t w = off + 1, n = word_len(w);
        size_t i = hash_fold(cs_dict_blob + w, n) & d->mask;
        while (d->slots[i]) i = (i + 1) & d->mask;
        d->slots[i] = (uint32_t)w + 1;
        d->lens[i] = (uint8_t)(n > 255 ? 255 : n);
        off = w + n + 1;
    }
    return CS_OK;
}

void cs_dict_free(cs_dict *d)
{
    free(d->slots);
    free(d->lens);
    d->slots = NULL;
    d->lens = NULL;
}

static int eq_fold(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z') x += 32;
        if (x != y) return 0;
    }
    return 1;
}

static unsigned lookup_exact(const cs_dict *d, const char *w, size_t n)
{
    if (!d->slots || n == 0 || n > 64) return 0;
    size_t i = hash_fold(w, n) & d->mask;
    while (d->slots[i]) {
        size_t off = d->slots[i] - 1;
        if (d->lens[i] == n && eq_fold(w, cs_dict_blob + off, n))
            return (unsigned char)cs_dict_blob[off - 1] - 64u;
        i = (i + 1) & d->mask;
    }
    return 0;
}

unsigned cs_dict_lookup(const cs_dict *d, const char *w, size_t n)
{
    unsigned f = lookup_exact(d, w, n);
    if (!f && n > 2 && w[n - 2] == '\'' && (w[n - 1] == 's' || w[n - 1] == 'S'))
        f = lookup_exact(d, w, n - 2);
    return f;
}

int cs_kw_build(cs_kw *k, const char *const *const *lists)
{
    size_t total = 0;
    for (size_t l = 0; lists[l]; l++)
        for (size_t i = 0; lists[l][i]; i++) total++;
    size_t size = 64;
    while (size < total * 4) size <<= 1;
    k->words = calloc(size, sizeof *k->words);
    k->masks = calloc(size, sizeof *k->masks);
    if (!k->words || !k->masks) { cs_kw_free(k); return CS_ERR_NOMEM; }
    k->mask = size - 1;
    for (size_t l = 0; lists[l] && l < 32; l++)
        for (size_t i = 0; lists[l][i]; i++) {
            const char *w = lists[l][i];
            size_t h = hash_fold(w, strlen(w)) & k->mask;
            while (k->words[h] && strcmp(k->words[h], w)) h = (h + 1) & k->mask;
            k->words[h] = w;
            k->masks[h] |= 1u << l;
        }
    return CS_OK;
}

void cs_kw_free(cs_kw *k)
{
    free(k->words);
    free(k->masks);
    k->words = NULL;
    k->masks = NULL;
}

uint32_t cs_kw_lookup(const cs_kw *k, const char *w, size_t n)
{
    if (!k->words || n == 0 || n > 24) return 0;
    size_t h = hash_fold(w, n) & k->mask;
    while (k->words[h]) {
        if (strlen(k->words[h]) == n && eq_fold(w, k->words[h], n)) return k->masks[h];
        h = (h + 1) & k->mask;
    }
    return 0;
}
