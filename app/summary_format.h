/*
 * summary_format.h: a pipeline result rendered for people and programs.
 *
 *   Markdown  the summary under its headings, then a line saying how it was
 *             made, and unsupported items (faithfulness flags) if any.
 *   JSON      one object: summary (Markdown text of the summary), mode,
 *             style, kind, reason, sections [{heading, code, items}],
 *             sections_used [{title, code}], flags [{kind, text}],
 *             flag_count, redaction {CATEGORY: count}, redaction_applied,
 *             timings_ms {parse, redact, summarize, check, total}, model,
 *             note.
 *   FHIR      an R4 Composition (status preliminary, type LOINC 34133-9
 *             "Summary of episode note", one section per heading with
 *             generated XHTML narrative; no subject: the text is redacted).
 *
 * `note` (may be NULL) is a line for the reader, e.g. that no model was
 * found and how to add one.  Ownership: returned strings are malloc'd,
 * caller frees; NULL on NOMEM.  Thread-safe.
 */
#ifndef CS_SUMMARY_FORMAT_H
#define CS_SUMMARY_FORMAT_H

#include "pipeline.h"

typedef enum { CS_OUT_MARKDOWN = 0, CS_OUT_JSON, CS_OUT_FHIR } cs_output_format;

/* "md", "json", "fhir" -> format; -1 when unknown. */
int cs_output_format_parse(const char *name);

/* The summary alone as Markdown (reason and headings with bullets). */
char *cs_summary_markdown(const cs_summary *s);

char *cs_format_markdown(const cs_pipeline_result *r, cs_summary_style style, const char *note);
char *cs_format_json(const cs_pipeline_result *r, cs_summary_style style, const char *note);
char *cs_format_fhir(const cs_pipeline_result *r, cs_summary_style style, const char *note);
char *cs_format_result(cs_output_format f, const cs_pipeline_result *r, cs_summary_style style,
                       const char *note);

#endif
