/*
 * summary.h: the summary a pipeline produces, before it is rendered as
 * Markdown, JSON or FHIR (summary_format.h).
 *
 * A summary is the document kind, an optional reason for the visit, and an
 * ordered list of headings, each with bullet items (plain UTF-8 text).
 * `used` lists the indices of the input sections the items came from.
 *
 * Ownership: a cs_summary owns every string and array it points to;
 * zero-initialise it, release with cs_summary_free().  Functions copy their
 * arguments and return CS_OK, CS_ERR_NOMEM or CS_ERR_INVALID.  Not
 * thread-safe per summary.
 */
#ifndef CS_SUMMARY_H
#define CS_SUMMARY_H

#include <stddef.h>

typedef struct {
    char *heading;     /* "Medications", "Assessment and plan", ... */
    const char *code;  /* LOINC section code it corresponds to (static) or NULL */
    char **items;
    size_t n_items, cap_items;
} cs_summary_section;

typedef struct {
    char *kind;        /* document kind, e.g. "discharge summary", or NULL */
    char *reason;      /* reason for the visit / chief complaint, or NULL */
    cs_summary_section *sections;
    size_t n_sections, cap_sections;
    size_t *used;      /* input section indices that contributed */
    size_t n_used, cap_used;
} cs_summary;

/* The section with this heading, appended when absent; NULL on NOMEM. */
cs_summary_section *cs_summary_section_get(cs_summary *s, const char *heading, const char *code);
/* Append text[0..len) as an item (whitespace runs collapsed to one space,
 * ends trimmed).  Empty text and an item equal to one already under the
 * heading are skipped (CS_OK). */
int cs_summary_add_item(cs_summary_section *sec, const char *text, size_t len);
/* Record that input section `index` contributed (kept once, in order). */
int cs_summary_mark_used(cs_summary *s, size_t index);
/* A malloc'd copy of text[0..len) with white-space runs collapsed to one
 * space and the ends trimmed (*out_len its length); NULL on NOMEM. */
char *cs_collapse_space(const char *text, size_t len, size_t *out_len);
/* Number of items over all sections. */
size_t cs_summary_item_count(const cs_summary *s);
/* Plain text: reason line, then each heading and its items one per line.
 * Caller frees; NULL on NOMEM. */
char *cs_summary_to_text(const cs_summary *s);
void cs_summary_free(cs_summary *s);

#endif
