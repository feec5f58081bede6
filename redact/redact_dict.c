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
    if (!d->slots) return CS_ERR_NOMEM;
    d->mask = size - 1;
    size_t off = 0;
    while (off < cs_dict_blob_len) {
        size_t w = off + 1, n = word_len(w);
        size_t i = hash_fold(cs_dict_blob + w, n) & d->mask;
        while (d->slots[i]) i = (i + 1) & d->mask;
        d->slots[i] = (uint32_t)w + 1;
        off = w + n + 1;
    }
    return CS_OK;
}

void cs_dict_free(cs_dict *d)
{
    free(d->slots);
    d->slots = NULL;
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
        if (word_len(off) == n && eq_fold(w, cs_dict_blob + off, n))
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
