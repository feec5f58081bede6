/* json_span.c: stepping over JSON values to find byte offsets (see
 * cs_json_span.h). */
#include "cs_json_span.h"
#include "cs_err.h"
#include "cs_text.h"

#include <string.h>

static size_t ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i;
}

/* Offset just past the string whose opening quote is at i. */
static size_t skip_string(const char *s, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if (s[i] == '\\') i++;
        else if (s[i] == '"') return i + 1;
    }
    return CS_JSON_NOPOS;
}

size_t cs_json_skip(const char *s, size_t n, size_t pos)
{
    if (pos == CS_JSON_NOPOS) return pos;
    size_t i = ws(s, n, pos);
    if (i >= n) return CS_JSON_NOPOS;
    if (s[i] == '"') return skip_string(s, n, i);
    if (s[i] != '{' && s[i] != '[') {
        while (i < n && !strchr(",}] \t\r\n", s[i])) i++;
        return i;
    }
    size_t depth = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '"') {
            i = skip_string(s, n, i);
            if (i == CS_JSON_NOPOS) return i;
            i--;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) return i + 1;
        }
    }
    return CS_JSON_NOPOS;
}

size_t cs_json_member(const char *s, size_t n, size_t pos, const char *key)
{
    if (pos == CS_JSON_NOPOS) return pos;
    size_t i = ws(s, n, pos), klen = strlen(key);
    if (i >= n || s[i] != '{') return CS_JSON_NOPOS;
    i = ws(s, n, i + 1);
    while (i < n && s[i] == '"') {
        size_t e = skip_string(s, n, i);
        if (e == CS_JSON_NOPOS) return e;
        int match = e - i - 2 == klen && memcmp(s + i + 1, key, klen) == 0;
        i = ws(s, n, e);
        if (i >= n || s[i] != ':') return CS_JSON_NOPOS;
        i = ws(s, n, i + 1);
        if (match) return i;
        i = ws(s, n, cs_json_skip(s, n, i));
        if (i >= n || s[i] != ',') return CS_JSON_NOPOS;
        i = ws(s, n, i + 1);
    }
    return CS_JSON_NOPOS;
}

size_t cs_json_first(const char *s, size_t n, size_t pos)
{
    if (pos == CS_JSON_NOPOS) return pos;
    size_t i = ws(s, n, pos);
    if (i >= n || s[i] != '[') return CS_JSON_NOPOS;
    i = ws(s, n, i + 1);
    return i < n && s[i] != ']' ? i : CS_JSON_NOPOS;
}

size_t cs_json_next(const char *s, size_t n, size_t pos)
{
    size_t i = ws(s, n, cs_json_skip(s, n, pos));
    if (i >= n || s[i] != ',') return CS_JSON_NOPOS;
    return ws(s, n, i + 1);
}

static int hex4(const char *s, size_t n, size_t i, unsigned *v)
{
    *v = 0;
    if (i + 4 > n) return 0;
    for (size_t k = i; k < i + 4; k++) {
        unsigned char c = (unsigned char)s[k];
        unsigned d = c >= '0' && c <= '9' ? c - '0'
                     : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : 16;
        if (d == 16) return 0;
        *v = *v << 4 | d;
    }
    return 1;
}

int cs_json_string_map(const char *s, size_t n, size_t q, const char *want, size_t want_n,
                       cs_srcmap *out)
{
    memset(out, 0, sizeof *out);
    if (q >= n || s[q] != '"') return CS_ERR_FORMAT;
    size_t i = q + 1, o = 0;
    int rc = CS_OK;
    while (rc == CS_OK && i < n && s[i] != '"') {
        if (s[i] != '\\') {
            size_t j = i;
            while (j < n && s[j] != '"' && s[j] != '\\') j++;
            if (j - i > want_n - o || memcmp(want + o, s + i, j - i)) goto bad;
            rc = cs_srcmap_add(out, o, o + (j - i), i, j);
            o += j - i;
            i = j;
            continue;
        }
        if (i + 1 >= n) goto bad;
        char buf[4];
        size_t len = 2, bn = 1;
        unsigned cp;
        switch (s[i + 1]) {
        case '"': case '\\': case '/': buf[0] = s[i + 1]; break;
        case 'b': buf[0] = '\b'; break;
        case 'f': buf[0] = '\f'; break;
        case 'n': buf[0] = '\n'; break;
        case 'r': buf[0] = '\r'; break;
        case 't': buf[0] = '\t'; break;
        case 'u':
            if (!hex4(s, n, i + 2, &cp)) goto bad;
            len = 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (i + 12 > n || s[i + 6] != '\\' || s[i + 7] != 'u' || !hex4(s, n, i + 8, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    goto bad;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                len = 12;
            } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                goto bad;
            }
            bn = cs_utf8_encode(cp, buf);
            break;
        default:
            goto bad;
        }
        if (bn > want_n - o || memcmp(want + o, buf, bn)) goto bad;
        rc = cs_srcmap_add(out, o, o + bn, i, i + len);
        o += bn;
        i += len;
    }
    if (rc != CS_OK) { cs_srcmap_free(out); return rc; }
    if (i >= n || o != want_n) goto bad;
    return CS_OK;
bad:
    cs_srcmap_free(out);
    return CS_ERR_FORMAT;
}
