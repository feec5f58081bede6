/*
 * cs_text.c: byte -> UTF-8 decoding with encoding detection.
 *
 * Detection order: BOMs first (they are unambiguous), then strict UTF-8
 * validation, then Windows-1252, which is what clinical text exported from
 * Windows EHRs is when it is not UTF-8.  Binary data is refused early so a
 * PDF or an image never reaches a parser as "text".
 */
#include "cs_text.h"
#include "cs_buf.h"
#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

unsigned cs_utf8_decode(const char *str, size_t n, size_t *len)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0) { *len = 0; return 0xFFFD; }
    unsigned c = s[0];
    if (c < 0x80) { *len = 1; return c; }
    size_t need; unsigned cp, min;
    if (c >= 0xC2 && c <= 0xDF) { need = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 4; cp = c & 0x07; min = 0x10000; }
    else { *len = 1; return 0xFFFD; }
    if (n < need) { *len = 1; return 0xFFFD; }
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) { *len = 1; return 0xFFFD; }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *len = 1;
        return 0xFFFD;
    }
    *len = need;
    return cp;
}

size_t cs_utf8_encode(unsigned cp, char *s)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) { s[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6)); s[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12)); s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    s[0] = (char)(0xF0 | (cp >> 18)); s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    s[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); s[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t cs_utf8_valid_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* ASCII, the bulk of clinical text, eight bytes at a time */
        uint64_t w;
        while (i + 8 <= n && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ull) == 0)) i += 8;
        if (i >= n) break;
        if ((unsigned char)s[i] < 0x80) { i++; continue; }
        size_t l;
        unsigned cp = cs_utf8_decode(s + i, n - i, &l);
        if (cp == 0xFFFD && l == 1) /* a real U+FFFD decodes with l == 3 */
            return i;
        i += l;
    }
    return n;
}

/* Control characters other than tab, LF, FF, CR mark binary data. */
static int is_binary_ctrl(unsigned c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f';
}

static int map_push(uint32_t **map, size_t *cap, size_t len, size_t off)
{
    if (len >= *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        while (nc <= len) nc *= 2;
        uint32_t *m = realloc(*map, nc * sizeof **map);
        if (!m) return CS_ERR_NOMEM;
        *map = m;
        *cap = nc;
    }
    (*map)[len] = (uint32_t)off;
    return CS_OK;
}

static int decode_utf16(const uint8_t *s, size_t n, int be, cs_decoded *out)
{
    cs_buf b = {0};
    uint32_t *map = NULL;
    size_t mcap = 0;
    int rc = CS_OK;
    size_t i = 2;
    if ((n - 2) % 2) { rc = CS_ERR_ENCODING; goto fail; }
    while (i + 1 < n) {
        size_t at = i;
        unsigned u = be ? (unsigned)(s[i] << 8 | s[i + 1]) : (unsigned)(s[i + 1] << 8 | s[i]);
        i += 2;
        unsigned cp = u;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 1 >= n) { rc = CS_ERR_ENCODING; goto fail; }
            unsigned lo = be ? (unsigned)(s[i] << 8 | s[i + 1]) : (unsigned)(s[i + 1] << 8 | s[i]);
            if (lo < 0xDC00 || lo > 0xDFFF) { rc = CS_ERR_ENCODING; goto fail; }
            i += 2;
            cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            rc = CS_ERR_ENCODING;
            goto fail;
        }
        if (cp == 0 || is_binary_ctrl(cp)) { rc = CS_ERR_BINARY; goto fail; }
        size_t before = b.len;
        if ((rc = cs_buf_put_utf8(&b, cp)) != CS_OK) goto fail;
        for (size_t k = before; k < b.len; k++)
            if ((rc = map_push(&map, &mcap, k, at)) != CS_OK) goto fail;
    }
    if ((rc = map_push(&map, &mcap, b.len, n)) != CS_OK) goto fail;
    out->len = b.len;
    out->text = cs_buf_take(&b);
    out->map = map;
    out->bom_len = 2;
    out->encoding = be ? CS_ENC_UTF16BE : CS_ENC_UTF16LE;
    return CS_OK;
fail:
    cs_buf_free(&b);
    free(map);
    return rc;
}

static int decode_cp1252(const uint8_t *s, size_t n, cs_decoded *out)
{
    cs_buf b = {0};
    uint32_t *map = NULL;
    size_t mcap = 0;
    int rc;
    if ((rc = cs_buf_reserve(&b, n + n / 4)) != CS_OK) return rc;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i], cp = c;
        if (c >= 0x80 && c <= 0x9F) {
            cp = cp1252_hi[c - 0x80];
            if (!cp) { rc = CS_ERR_ENCODING; goto fail; }
        }
        size_t before = b.len;
        if ((rc = cs_buf_put_utf8(&b, cp)) != CS_OK) goto fail;
        for (size_t k = before; k < b.len; k++)
            if ((rc = map_push(&map, &mcap, k, i)) != CS_OK) goto fail;
    }
    if ((rc = map_push(&map, &mcap, b.len, n)) != CS_OK) goto fail;
    out->len = b.len;
    out->text = cs_buf_take(&b);
    out->map = map;
    out->bom_len = 0;
    out->encoding = CS_ENC_CP1252;
    return CS_OK;
fail:
    cs_buf_free(&b);
    free(map);
    return rc;
}

int cs_text_decode(const uint8_t *src, size_t n, cs_decoded *out)
{
    memset(out, 0, sizeof *out);
    if (n >= 0xFFFFFFFFu)
        return CS_ERR_TOO_LARGE;
    if (n >= 2 && src[0] == 0xFF && src[1] == 0xFE)
        return n == 2 ? CS_ERR_EMPTY : decode_utf16(src, n, 0, out);
    if (n >= 2 && src[0] == 0xFE && src[1] == 0xFF)
        return n == 2 ? CS_ERR_EMPTY : decode_utf16(src, n, 1, out);
    size_t bom = (n >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    const uint8_t *s = src + bom;
    size_t len = n - bom;
    /* one table load per byte (is_binary_ctrl or DEL): this loop sees every
     * byte of every file */
    static const unsigned char binary[256] = {
        1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, [0x7F] = 1};
    for (size_t i = 0; i < len; i++) {
        if (binary[s[i]]) {
            if (s[i] != 0x1A || i + 1 != len) /* tolerate a DOS EOF mark */
                return CS_ERR_BINARY;
        }
    }
    size_t first = 0;
    while (first < len && (s[first] == ' ' || s[first] == '\t' || s[first] == '\n' ||
                           s[first] == '\r' || s[first] == '\f'))
        first++;
    if (first == len)
        return CS_ERR_EMPTY;
    if (cs_utf8_valid_prefix((const char *)s, len) == len) {
        out->text = malloc(len + 1);
        if (!out->text) return CS_ERR_NOMEM;
        memcpy(out->text, s, len);
        out->text[len] = '\0';
        out->len = len;
        out->bom_len = bom;
        out->encoding = bom ? CS_ENC_UTF8_BOM : CS_ENC_UTF8;
        return CS_OK;
    }
    if (bom)
        return CS_ERR_ENCODING; /* declared UTF-8 but is not */
    return decode_cp1252(s, len, out);
}

void cs_decoded_free(cs_decoded *d)
{
    free(d->text);
    free(d->map);
    memset(d, 0, sizeof *d);
}

size_t cs_decoded_src_offset(const cs_decoded *d, size_t i)
{
    if (i > d->len) i = d->len;
    return d->map ? d->map[i] : i + d->bom_len;
}

const char *cs_encoding_name(cs_encoding e)
{
    switch (e) {
    case CS_ENC_UTF8: return "utf-8";
    case CS_ENC_UTF8_BOM: return "utf-8-bom";
    case CS_ENC_UTF16LE: return "utf-16le";
    case CS_ENC_UTF16BE: return "utf-16be";
    case CS_ENC_CP1252: return "windows-1252";
    }
    return "unknown";
}
