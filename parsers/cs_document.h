/*
 * cs_document.h: the one normalized document model every parser produces.
 *
 * A document is an ordered list of sections (title, optional code, plain
 * text, and the source byte span it came from), metadata (kind, dates,
 * author, facility) and the patient identity found in structured headers,
 * which redaction searches for everywhere in the narrative.  Parsers promise
 * that every character of narrative lands in some section.
 *
 * Each section may carry a source map (cs_srcmap.h) from its text back to
 * the file: cs_section_src_range() answers "which file bytes did text
 * [a, b) come from", as byte offsets into the file as given (through BOMs
 * and UTF-16 / Windows-1252 decoding).  Sections without a map (text that
 * came out of a base64 attachment, an emptyReason label, a narrative the
 * aligner could not place) answer with their whole section span: wider,
 * never wrong.
 *
 * Ownership: a cs_document owns every string it points to; free it with
 * cs_document_free().  The add/set functions copy their arguments and return
 * CS_OK or CS_ERR_NOMEM.  Not thread-safe per document.
 */
#ifndef CS_DOCUMENT_H
#define CS_DOCUMENT_H

#include "cs_srcmap.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CS_FMT_UNKNOWN = 0,
    CS_FMT_TEXT,
    CS_FMT_HTML,
    CS_FMT_CCDA,
    CS_FMT_FHIR_BUNDLE,
    CS_FMT_FHIR_DOCREF
} cs_format;

typedef struct {
    char *title;        /* as written in the source, never NULL ("" if none) */
    char *code;         /* e.g. LOINC "10160-0", or NULL */
    char *code_system;  /* e.g. "LOINC" or an OID/URI, or NULL */
    char *text;         /* UTF-8 plain text, lines separated by '\n' */
    size_t text_len;
    size_t start, end;  /* source byte span [start, end) */
    int depth;          /* 0 for top-level, 1 for a subsection, ... */
    cs_srcmap map;      /* text -> parse offsets; empty when unknown */
} cs_section;

typedef struct {
    char **items;
    size_t n, cap;
} cs_strlist;

/* Patient identifiers found in structured headers (never from narrative). */
typedef struct {
    cs_strlist names;        /* "Given Family", each name form once */
    cs_strlist identifiers;  /* MRN, SSN, member ids... the value only */
    cs_strlist birth_dates;  /* as written, e.g. "19620805" or "1962-08-05" */
    cs_strlist addresses;    /* street lines, city, postal code, each an item */
    cs_strlist telecoms;     /* phone numbers and e-mail addresses */
} cs_identity;

typedef struct {
    cs_format format;
    char *kind;       /* "discharge summary", "CCD", "progress note", ... */
    char *title;      /* document title or NULL */
    char *date;       /* effective time as written, or NULL */
    char *author;     /* author name or NULL (it is PHI of the clinician) */
    char *facility;   /* custodian / facility name or NULL */
    const char *encoding; /* source encoding name, static string, e.g. "utf-8" */
    cs_section *sections;
    size_t n_sections, cap_sections;
    cs_identity identity;
    /* Parse offsets (the UTF-8 text the parser read) -> file offsets:
     * src_xmap[i] for transcoded input (src_xmap_len + 1 entries, owned),
     * else i + src_shift (the BOM). */
    uint32_t *src_xmap;
    size_t src_xmap_len;
    size_t src_shift;
} cs_document;

cs_document *cs_document_new(cs_format format);
void cs_document_free(cs_document *doc);

/* Append a section; title may be NULL, code/code_system may be NULL.  The
 * text is copied as given.  Returns the new section or NULL on NOMEM. */
cs_section *cs_document_add_section(cs_document *doc, const char *title,
                                    const char *code, const char *code_system,
                                    const char *text, size_t text_len,
                                    size_t start, size_t end);
/* Replace one of the doc's string fields (e.g. &doc->kind); s may be NULL. */
int cs_document_set(char **field, const char *s);

/* Add s to a list unless an equal (case-insensitive) item is present;
 * empty and whitespace-only strings are ignored. */
int cs_strlist_add(cs_strlist *l, const char *s);
void cs_strlist_free(cs_strlist *l);

/* Add a person name in the forms redaction searches for: each part alone,
 * "Given Family", "Family, Given" and "Given Middle Family".  given holds
 * n_given names (NULL or empty ones skipped); family may be NULL.  names may
 * be NULL (only *full_out wanted).  If full_out is non-NULL and *full_out is
 * NULL, it receives the full form (caller frees).  CS_OK or CS_ERR_NOMEM. */
int cs_name_forms_add(cs_strlist *names, const char *const *given, size_t n_given,
                      const char *family, char **full_out);
/* Add a telecom value without its URI scheme ("tel:", "mailto:", "fax:"). */
int cs_telecom_add(cs_strlist *telecoms, const char *value);

/* Take ownership of a decoder's parse -> file map (cs_decoded.map, may be
 * NULL, len + 1 entries) and BOM length; see cs_document.src_xmap. */
void cs_document_take_source(cs_document *doc, uint32_t *xmap, size_t len, size_t shift);

/* File byte range [*start, *end) that text [a, b) of section `i` came from
 * (a <= b <= text_len).  Returns 1 when the section's map answered, 0 when
 * it fell back to the whole section span [start, end) of the section, -1
 * for a bad section index or range (outputs untouched).  An answer always
 * lies inside the file; for a span that crosses markup it runs from the
 * first byte to the last, markup included. */
int cs_section_src_range(const cs_document *doc, size_t i, size_t a, size_t b,
                         size_t *start, size_t *end);

/* Total characters of section text (bytes of UTF-8). */
size_t cs_document_text_len(const cs_document *doc);

const char *cs_format_name(cs_format f);

/* Human names for a LOINC section code ("10160-0" -> "Medications"), or NULL. */
const char *cs_loinc_section_name(const char *code);

#endif
