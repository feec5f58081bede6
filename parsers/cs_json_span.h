/*
 * cs_json_span.h: byte positions inside JSON text (internal to parsers/).
 *
 * cJSON builds a tree without source positions; the FHIR parser walks this
 * small scanner alongside it to give each section its source byte span.
 * It only steps over values of text that cJSON already accepted, so it
 * checks little; on anything unexpected it returns CS_JSON_NOPOS and the
 * caller falls back to a wider span.  Thread-safe, no allocation.
 */
#ifndef CS_JSON_SPAN_H
#define CS_JSON_SPAN_H

#include "cs_srcmap.h"

#include <stddef.h>

#define CS_JSON_NOPOS ((size_t)-1)

/* Offset just past the value starting at (or after whitespace from) pos. */
size_t cs_json_skip(const char *s, size_t n, size_t pos);
/* Offset of the value of member `key` of the object at pos. */
size_t cs_json_member(const char *s, size_t n, size_t pos, const char *key);
/* Offset of the first element of the array at pos. */
size_t cs_json_first(const char *s, size_t n, size_t pos);
/* Offset of the element after the one at pos (same array). */
size_t cs_json_next(const char *s, size_t n, size_t pos);

/* Unescape map of the JSON string literal whose opening quote is s[q]:
 * unescaped offsets -> offsets in s (an escape such as \n, \" or a
 * \uD83D\uDE00 surrogate pair is one opaque segment).  want[0..want_n) is
 * the value cJSON decoded; the map is only made when the literal decodes to
 * exactly that.  Returns CS_OK, CS_ERR_NOMEM, or CS_ERR_FORMAT (not a
 * string, or a different value); *out is empty unless CS_OK.  Allocates. */
int cs_json_string_map(const char *s, size_t n, size_t q, const char *want, size_t want_n,
                       cs_srcmap *out);

#endif
