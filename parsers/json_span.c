/* json_span.c: stepping over JSON values to find byte offsets (see
 * cs_json_span.h). */
#include "cs_json_span.h"

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
