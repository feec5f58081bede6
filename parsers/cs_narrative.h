/*
 * cs_narrative.h: markup narrative -> readable plain text (internal to
 * parsers/).  One flattener serves C-CDA <text> (paragraph, list/item,
 * table, content, br, linkHtml, footnote...), FHIR XHTML divs and HTML.
 *
 * Faithful means every character of every text node is kept, in order;
 * only whitespace changes: runs collapse to one space, block elements
 * (paragraph, item, div, p, li, headings...) start new lines, a table row
 * becomes one line with its cells joined by " | ", and <pre> keeps its
 * layout.  Comments, processing instructions, <script>, <style> and entity
 * references (never expanded) are dropped.  U+00A0 counts as a space.
 *
 * Source maps: set `map` and `align` (cs_srcalign.h) before flattening and
 * every text node is found in the source as it is written, so that
 * cs_flat_take_map() can say where each output byte came from.  Text given
 * to cs_flat_text() has no known source and makes the map unusable.
 *
 * Usage: a zero-initialised cs_flat, any number of cs_flat_node /
 * cs_flat_text / cs_flat_break calls, then cs_flat_take() for the text
 * (caller frees) or cs_flat_free().  Functions return CS_OK or CS_ERR_NOMEM.
 * Not thread-safe per cs_flat.
 */
#ifndef CS_NARRATIVE_H
#define CS_NARRATIVE_H

#include "cs_buf.h"
#include "cs_srcalign.h"

#include <libxml/tree.h>

typedef struct {
    cs_buf out;
    int space;   /* whitespace seen since the last character written */
    int line;    /* a line break is due before the next character */
    int cell;    /* > 0 inside a table cell: breaks become spaces */
    int pre;     /* > 0 inside <pre>: whitespace kept as written */
    cs_mapbuild *map;  /* NULL, or where to record the source map */
    cs_align *align;   /* finds text nodes in the source (with map) */
} cs_flat;

/* Append the text of a node and all it contains. */
int cs_flat_node(cs_flat *f, xmlNodePtr node);
/* Append the text of each child of a node. */
int cs_flat_children(cs_flat *f, xmlNodePtr node);
/* Append raw text (whitespace collapsed as in markup). */
int cs_flat_text(cs_flat *f, const char *s, size_t n);
/* End the current line (lazily: no blank lines, nothing at the start). */
void cs_flat_break(cs_flat *f);
/* Text so far with trailing whitespace removed; resets f.  *len may be NULL. */
char *cs_flat_take(cs_flat *f, size_t *len);
/* cs_flat_take, also moving the map of the taken text into *map (empty
 * when some text could not be placed).  CS_OK or CS_ERR_NOMEM. */
int cs_flat_take_map(cs_flat *f, char **text, size_t *len, cs_srcmap *map);
void cs_flat_free(cs_flat *f);

/* Convenience: the flattened text of a node's children (caller frees), or
 * NULL on NOMEM. */
char *cs_flatten(xmlNodePtr node, size_t *len);

#endif
