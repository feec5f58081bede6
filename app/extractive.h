/*
 * extractive.h: the summarizer that needs no model.
 *
 * From a parsed (and already redacted) document it builds a structured
 * summary: the document kind and the reason for the visit, then bullets
 * under clinical headings (reason for visit, diagnoses and problems,
 * medications with changes first, allergies, key results, procedures,
 * history, hospital course, plan and follow-up) taken from sections
 * matched by LOINC code or, failing that, by title.  Narrative without
 * usable headings is summarized by ranked sentences (sentences.h); a
 * doctor-patient transcript (transcript.h) becomes a note with "History of
 * present illness", "Physical examination", "Results" and "Assessment and
 * plan" headings, placed by where the conversation turns to the
 * examination and to the plan.
 *
 * Every item is text of the document (transcripts: rewritten to the third
 * person, see transcript.h); nothing is invented.  Deterministic: the same
 * document always gives the same summary.
 *
 * Ownership: the caller owns *out (zero-initialised before the call; free
 * with cs_summary_free(), also after an error).  Errors: CS_OK,
 * CS_ERR_NOMEM, CS_ERR_INVALID (NULL arguments), CS_ERR_EMPTY (no text).
 * Thread-safe.
 */
#ifndef CS_EXTRACTIVE_H
#define CS_EXTRACTIVE_H

#include "cs_document.h"
#include "summary.h"

#include <stddef.h>

typedef struct {
    size_t max_items;        /* per list heading; 0 means 10 */
    size_t max_narrative;    /* sentences per narrative heading; 0 means 5 */
    double transcript_ratio; /* share of a transcript's words kept; 0 means 0.5 */
    size_t min_words, max_words; /* clamp of that budget; 0 means 150 / 750 */
} cs_extractive_options;

int cs_extractive_summarize(const cs_document *doc, const cs_extractive_options *opt,
                            cs_summary *out);

#endif
