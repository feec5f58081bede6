/*
 * prompt.h: the prompts the model path sends, all in one place, and fitting
 * a document into the model's context.
 *
 * Styles: brief (five lines for a colleague), handoff (structured by
 * clinical heading), patient (plain language for the patient).  The system
 * text of each style tells the model to use only facts from the document.
 * A document that fits the budget is sent whole; a longer one is split by
 * section (a section that alone is too long is cut at sentence ends), each
 * part summarized on its own, and the partial summaries combined by a final
 * prompt (cs_prompt_combine), so no text is silently dropped.
 *
 * Token counts come from the caller's counter (the model's tokenizer); with
 * none, 4 bytes count as one token (an over-estimate for English).
 *
 * Ownership: cs_prompt_plan owns its strings; release with
 * cs_prompt_plan_free().  Strings returned by cs_prompt_combine() are
 * freed by the caller.  Errors: CS_OK, CS_ERR_NOMEM, CS_ERR_INVALID,
 * CS_ERR_LIMIT (budget too small for the instructions).  Thread-safe.
 */
#ifndef CS_PROMPT_H
#define CS_PROMPT_H

#include "cs_document.h"

#include <stddef.h>

typedef enum {
    CS_STYLE_BRIEF = 0,
    CS_STYLE_HANDOFF,
    CS_STYLE_PATIENT
} cs_summary_style;

typedef size_t (*cs_token_counter)(void *ctx, const char *text, size_t len);

typedef struct {
    const char *system;  /* static system prompt of the style */
    char **user;         /* n_parts user prompts, each within the budget */
    size_t n_parts;
} cs_prompt_plan;

/* "brief", "handoff", "patient" <-> style; parse returns -1 if unknown. */
const char *cs_style_name(cs_summary_style s);
int cs_style_parse(const char *name);

/* The system prompt of a style (static, never NULL). */
const char *cs_prompt_system(cs_summary_style s);

/* Split the (redacted) document into user prompts, each with the system
 * prompt at most budget_tokens tokens.  count may be NULL. */
int cs_prompt_build(const cs_document *doc, cs_summary_style style, size_t budget_tokens,
                    cs_token_counter count, void *count_ctx, cs_prompt_plan *out);
void cs_prompt_plan_free(cs_prompt_plan *p);

/* The user prompt combining partial summaries into one (caller frees), or
 * NULL on NOMEM. */
char *cs_prompt_combine(cs_summary_style style, char *const *partials, size_t n);

/* Tokens of text by the fallback estimate (bytes / 4, rounded up). */
size_t cs_prompt_estimate_tokens(const char *text, size_t len);

#endif
