/*
 * cs_parse.h: bytes in, cs_document out.
 *
 * cs_parse() detects the format from the content (never the file name) and
 * dispatches to one parser.  Each parser may also be called directly.  All
 * take the raw bytes of one file and return CS_OK with *out set (caller frees
 * with cs_document_free), or a negative cs_err with *out NULL.  Error codes
 * carry no document text, so "FILE: cs_strerror(rc)" is safe to print.
 *
 * No parser performs I/O: XML parsing never loads external entities or DTDs
 * and never touches the network.  Thread-safe: parsers share no state
 * (libxml2 must be initialised once with cs_parse_init() before threads).
 */
#ifndef CS_PARSE_H
#define CS_PARSE_H

#include "cs_document.h"

#include <stddef.h>
#include <stdint.h>

#define CS_PARSE_DEFAULT_MAX_BYTES ((size_t)64 << 20)

typedef struct {
    size_t max_bytes;  /* input cap; 0 means CS_PARSE_DEFAULT_MAX_BYTES */
} cs_parse_options;

/* One-time global set-up of the XML library; safe to call repeatedly. */
void cs_parse_init(void);

/* Guess the format from the first bytes (BOM and whitespace skipped). */
cs_format cs_detect_format(const uint8_t *data, size_t n);

int cs_parse(const uint8_t *data, size_t n, const cs_parse_options *opt,
             cs_document **out);

int cs_parse_text(const uint8_t *data, size_t n, cs_document **out);
int cs_parse_html(const uint8_t *data, size_t n, cs_document **out);
int cs_parse_ccda(const uint8_t *data, size_t n, cs_document **out);
int cs_parse_fhir(const uint8_t *data, size_t n, cs_document **out);

/* The LOINC code a free-text section title usually means ("Allergies" ->
 * "48765-2"), matched case-insensitively on common clinical wording, or
 * NULL.  Used by the text and HTML parsers. */
const char *cs_section_code_for_title(const char *title);

#endif
