/*
 * cs_buf.h: a growable byte buffer, always NUL-terminated.
 *
 * A zero-initialised cs_buf is empty and valid.  The buffer owns `data`;
 * cs_buf_free() releases it, cs_buf_take() hands it to the caller (who then
 * frees it with free()).  Append functions return CS_OK or CS_ERR_NOMEM and
 * leave the buffer unchanged on failure.  Not thread-safe per buffer.
 */
#ifndef CS_BUF_H
#define CS_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data;  /* NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
} cs_buf;

int cs_buf_reserve(cs_buf *b, size_t extra);
int cs_buf_append(cs_buf *b, const void *p, size_t n);
int cs_buf_puts(cs_buf *b, const char *s);
int cs_buf_putc(cs_buf *b, char c);
int cs_buf_printf(cs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append a code point as UTF-8 (invalid code points become U+FFFD). */
int cs_buf_put_utf8(cs_buf *b, unsigned cp);
/* Append s with the five HTML/XML special characters escaped (< > & " '),
 * safe inside element content and quoted attributes of HTML and XHTML. */
int cs_buf_put_html_escaped(cs_buf *b, const char *s);
void cs_buf_clear(cs_buf *b);
/* Returns the data (never NULL: an empty buffer yields "") and resets b. */
char *cs_buf_take(cs_buf *b);
void cs_buf_free(cs_buf *b);

#endif
