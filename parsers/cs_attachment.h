/*
 * cs_attachment.h: documents embedded in other documents (internal to
 * parsers/): a C-CDA nonXMLBody, a FHIR DocumentReference attachment.
 *
 * cs_attachment_add() decodes base64 when asked, sniffs the bytes (a PDF, a
 * gzip or ZIP stream, an image or any binary is never read as text, whatever
 * its label says), parses text/plain with the text parser and text/html with
 * the HTML parser, and appends the resulting sections to doc at `depth`,
 * each with the span [start, end) of the embedding element.  Content that
 * cannot be read becomes one section with empty text and a bracketed title
 * saying what was skipped and why, e.g. "[attachment not extracted:
 * application/pdf]", so the model never holds garbage and never hides that
 * something was left out.
 *
 * Returns CS_OK (also for skipped content) or CS_ERR_NOMEM.  Thread-safe.
 */
#ifndef CS_ATTACHMENT_H
#define CS_ATTACHMENT_H

#include "cs_document.h"

#include <stddef.h>
#include <stdint.h>

/* Decode base64 (whitespace ignored, padding optional).  *out is malloc'd
 * (caller frees).  Returns CS_OK, CS_ERR_FORMAT (not base64), CS_ERR_NOMEM. */
int cs_base64_decode(const char *s, size_t n, uint8_t **out, size_t *out_len);

/* Name of a binary format recognised by its magic bytes ("PDF", "gzip",
 * "ZIP", "PNG", "JPEG", "GIF", "TIFF", "RTF"...), or NULL. */
const char *cs_sniff_binary(const uint8_t *d, size_t n);

/* media_type may be NULL (then sniffed); data is raw (already decoded). */
int cs_attachment_add(cs_document *doc, const char *media_type,
                      const uint8_t *data, size_t n, int depth,
                      size_t start, size_t end);

/* Add the marker section for content that was not extracted. */
int cs_attachment_skip(cs_document *doc, const char *why, int depth,
                       size_t start, size_t end);

/* Give sections [from, n_sections) of doc, which came out of one encoded
 * value (base64, or text inside markup), a map that ties all of each
 * section's text to the whole value src[s, e) in parse offsets: a base64
 * attachment cannot be mapped character by character, and this range is
 * wider than the truth, never beside it.  CS_OK or CS_ERR_NOMEM. */
int cs_attachment_map(cs_document *doc, size_t from, size_t s, size_t e);

#endif
