/*
 * cs_text.h: turning raw bytes into UTF-8 text, and small UTF-8 helpers.
 *
 * cs_text_decode() recognises UTF-8 (with or without BOM), UTF-16 LE/BE with
 * BOM, and falls back to Windows-1252 for 8-bit text that is not UTF-8.  It
 * rejects binary data (NUL bytes, control characters) and text that fits no
 * encoding.  Line endings are kept as they are, so offsets can be mapped back.
 *
 * Ownership: cs_decoded owns `text` and `map`; release with cs_decoded_free().
 */
#ifndef CS_TEXT_H
#define CS_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CS_ENC_UTF8 = 0,
    CS_ENC_UTF8_BOM,
    CS_ENC_UTF16LE,
    CS_ENC_UTF16BE,
    CS_ENC_CP1252
} cs_encoding;

typedef struct {
    char *text;          /* UTF-8, NUL-terminated */
    size_t len;          /* bytes in text, excluding the NUL */
    cs_encoding encoding;
    size_t bom_len;      /* bytes of BOM skipped at the start of the source */
    /* For re-encoded input (UTF-16, CP1252): map[i] is the source byte offset
     * of text byte i, with map[len] == source length.  NULL when text is the
     * source minus its BOM, i.e. source offset = i + bom_len. */
    uint32_t *map;
} cs_decoded;

/* Decode src[0..n).  Returns CS_OK, CS_ERR_EMPTY, CS_ERR_BINARY,
 * CS_ERR_ENCODING, CS_ERR_TOO_LARGE (over 4 GiB) or CS_ERR_NOMEM. */
int cs_text_decode(const uint8_t *src, size_t n, cs_decoded *out);
void cs_decoded_free(cs_decoded *d);
/* Source byte offset of text offset `i` (0 <= i <= len). */
size_t cs_decoded_src_offset(const cs_decoded *d, size_t i);
const char *cs_encoding_name(cs_encoding e);

/* Length of the longest valid UTF-8 prefix of s[0..n). */
size_t cs_utf8_valid_prefix(const char *s, size_t n);
/* Decode one code point at s (n bytes available); stores its length in *len.
 * Invalid sequences yield 0xFFFD with *len = 1. */
unsigned cs_utf8_decode(const char *s, size_t n, size_t *len);

/* Encode a code point as UTF-8 into out (4 bytes of room); returns the
 * length.  Surrogates and values past U+10FFFF encode U+FFFD. */
size_t cs_utf8_encode(unsigned cp, char *out);

#endif
