/* cs_buf.c: growable byte buffer used by every module to build text. */
#include "cs_buf.h"
#include "cs_text.h"
#include "cs_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cs_buf_reserve(cs_buf *b, size_t extra)
{
    if (extra > (size_t)-1 - b->len - 1)
        return CS_ERR_NOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return CS_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return CS_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return CS_OK;
}

int cs_buf_append(cs_buf *b, const void *p, size_t n)
{
    if (cs_buf_reserve(b, n) != CS_OK)
        return CS_ERR_NOMEM;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return CS_OK;
}

int cs_buf_puts(cs_buf *b, const char *s) { return cs_buf_append(b, s, strlen(s)); }

int cs_buf_putc(cs_buf *b, char c) { return cs_buf_append(b, &c, 1); }

int cs_buf_printf(cs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return CS_ERR_INVALID;
    if (cs_buf_reserve(b, (size_t)n) != CS_OK)
        return CS_ERR_NOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return CS_OK;
}

int cs_buf_put_utf8(cs_buf *b, unsigned cp)
{
    char s[4];
    size_t n = cs_utf8_encode(cp, s);
    return cs_buf_append(b, s, n);
}

int cs_buf_put_html_escaped(cs_buf *b, const char *s)
{
    int rc = CS_OK;
    for (; *s && rc == CS_OK; s++) {
        switch (*s) {
        case '<': rc = cs_buf_puts(b, "&lt;"); break;
        case '>': rc = cs_buf_puts(b, "&gt;"); break;
        case '&': rc = cs_buf_puts(b, "&amp;"); break;
        case '"': rc = cs_buf_puts(b, "&quot;"); break;
        case '\'': rc = cs_buf_puts(b, "&#39;"); break;
        default: rc = cs_buf_putc(b, *s);
        }
    }
    return rc;
}

void cs_buf_clear(cs_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *cs_buf_take(cs_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void cs_buf_free(cs_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
