/*
 * cs_srcmap.h: where each byte of a section's text came from in the file.
 *
 * A cs_srcmap is a sorted list of segments, each tying a range of section
 * text [text, text_end) to a range of source [src, src_end).  A segment is
 * *linear* when both ranges have the same length: text byte i is then the
 * very source byte src + (i - text), unchanged.  Any other segment is
 * *opaque*: all of its text came from the whole source range together, e.g.
 * "&amp;" -> "&", a JSON escape "\u00e9" -> "é", a whitespace run collapsed
 * to one space, a line break the flattener inserted for a block element
 * (then the source range is whatever lies between the neighbouring text,
 * possibly empty), or a base64 attachment (one segment for all of it).
 *
 * Invariants (cs_srcmap_valid): the text ranges are contiguous from 0 to
 * the section's text length; source ranges never go backwards
 * (src <= src_end <= next src).  Source offsets are in the parser's
 * coordinates, the UTF-8 text it parsed; cs_section_src_range() in
 * cs_document.h turns them into byte offsets of the file as given.
 *
 * Ownership: the map owns `segs`; cs_srcmap_free() releases it.  Functions
 * return CS_OK or CS_ERR_NOMEM (map unchanged).  Not thread-safe per map.
 */
#ifndef CS_SRCMAP_H
#define CS_SRCMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t text, text_end; /* section text [text, text_end) */
    uint32_t src, src_end;   /* came from source [src, src_end) */
} cs_srcseg;

typedef struct {
    cs_srcseg *segs;
    size_t n, cap;
} cs_srcmap;

/* Append a segment after the last one; a linear segment that continues the
 * previous linear one in both text and source extends it instead. */
int cs_srcmap_add(cs_srcmap *m, size_t text, size_t text_end, size_t src, size_t src_end);

/* Source range [*start, *end) of text [a, b): from the first source byte of
 * text byte a to the last source byte of text byte b-1 (an empty range at
 * a's position when a == b).  A span that crosses markup therefore maps to
 * one range that includes the markup.  Returns 0 when the map does not
 * cover [a, b) (callers fall back to something wider), else 1. */
int cs_srcmap_range(const cs_srcmap *m, size_t a, size_t b, size_t *start, size_t *end);

/* 1 when the invariants above hold for a text of text_len bytes and a
 * source of src_len bytes, else 0.  An empty map is valid only for an
 * empty text. */
int cs_srcmap_valid(const cs_srcmap *m, size_t text_len, size_t src_len);

void cs_srcmap_free(cs_srcmap *m);

#endif
