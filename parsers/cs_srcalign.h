/*
 * cs_srcalign.h: building section source maps (internal to parsers/).
 *
 * libxml2 keeps no source position for text nodes, so cs_align finds each
 * text node again in the markup it was parsed from: it walks the source
 * forward from a cursor, stepping over what a text node cannot contain
 * (tags, comments, processing instructions: a text node starts right after
 * one of them, at a '>') and decoding what the parser decoded (entity and
 * character references, CDATA sections, CR LF), until the decoded source
 * equals the node's text byte for byte.  Every recorded piece is such a
 * verified equality, so a map can be coarse but not wrong.  Text nodes must
 * be presented in document order (they are, by the flattener); nodes the
 * caller skips (script, head...) are simply passed over.  The search is
 * bounded by a work budget, so hostile markup cannot make it quadratic; a
 * node that is not found makes its section fall back to the section span.
 *
 * cs_mapbuild collects the segments of one output text (the flattener's or
 * the text parser's) as it is written: runs of node text through the
 * aligner's pieces, and everything the writer inserted between them (a
 * collapsed space, a line break, " | ") as one segment over the source
 * between the neighbouring runs.  With `outer` set, source offsets are
 * translated through it (a JSON string's unescaping) as they are added.
 *
 * Ownership: each struct owns its maps; free with cs_align_free /
 * cs_mapbuild_free.  Functions return CS_OK or CS_ERR_NOMEM.  Not
 * thread-safe per struct.
 */
#ifndef CS_SRCALIGN_H
#define CS_SRCALIGN_H

#include "cs_srcmap.h"

#include <stddef.h>

typedef struct {
    const char *src;   /* the UTF-8 text the markup parser read */
    size_t cur, end;   /* the next node starts in [cur, end) */
    size_t budget;     /* source bytes the search may still examine */
    int html;          /* HTML references (named table, ';' optional) */
    cs_srcmap pieces;  /* last node: its non-space bytes -> source */
} cs_align;

/* Start aligning nodes found in src[start, end). */
void cs_align_init(cs_align *a, const char *src, size_t start, size_t end, int html);
/* Find the node text c[0..n) at or after the cursor.  Returns 1 and sets
 * a->pieces (whitespace-only text: no pieces, cursor unmoved), 0 when not
 * found (cursor unmoved), or CS_ERR_NOMEM. */
int cs_align_node(cs_align *a, const char *c, size_t n);
void cs_align_free(cs_align *a);

typedef struct {
    cs_srcmap map;           /* output offsets -> source, being built */
    const char *src;         /* source, to spot a separator equal to its source */
    const cs_srcmap *outer;  /* NULL, or src offsets -> final offsets */
    size_t mapped;           /* output bytes [0, mapped) have segments */
    size_t last;             /* source offset just after the last run */
    int broken;              /* something could not be mapped */
} cs_mapbuild;

/* Output out[off, off+n) is source [s, e): linear when e - s == n.  The
 * output between the previous run and off maps to the source between them. */
int cs_mapbuild_add(cs_mapbuild *b, const char *out, size_t off, size_t n, size_t s, size_t e);
/* Output out[off, off+n) is node text [c, c+n) of the last aligned node. */
int cs_mapbuild_node(cs_mapbuild *b, const char *out, size_t off, const cs_srcmap *pieces,
                     size_t c, size_t n);
/* Move the segments of output [a, e) into *out rebased to 0 (empty when
 * broken) and start over for the next output (last is kept). */
int cs_mapbuild_take(cs_mapbuild *b, size_t a, size_t e, cs_srcmap *out);
void cs_mapbuild_free(cs_mapbuild *b);

#endif
