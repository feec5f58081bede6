/*
 * pipeline.h: one document from bytes to a checked summary, the function
 * the CLI and the browser both call.
 *
 *   parse -> redact -> summarize (extractive, or the model through a
 *   cs_generator) -> faithfulness check
 *
 * Redaction runs before anything else sees the text: the summarizer, the
 * prompt and the check all read the redacted document, and the result
 * carries only redacted text.  Each step's wall time is recorded.  If the
 * redaction library is not built in, the pipeline refuses (CS_ERR_UNSUPPORTED)
 * unless the caller explicitly allows unredacted text (tests, evaluation on
 * public data).
 *
 * The model is reached through cs_generator, an interface the caller fills
 * (the CLI adapts the inference module to it), so this library does no file
 * I/O and holds no model policy.  Tokens stream through on_token; returning
 * non-zero from it cancels generation (the pipeline then returns
 * CS_ERR_CANCELLED).
 *
 * Ownership: *out is zero-initialised by cs_pipeline_run and must be
 * released with cs_pipeline_result_free(), also after an error.  Errors:
 * any cs_err of the steps; messages never contain document text.
 * Thread-safe when each thread uses its own generator context.
 */
#ifndef CS_PIPELINE_H
#define CS_PIPELINE_H

#include "cs_document.h"
#include "extractive.h"
#include "faithful.h"
#include "prompt.h"
#include "summary.h"

#include <stddef.h>
#include <stdint.h>

#define CS_PIPELINE_MAX_CATEGORIES 16

typedef enum { CS_MODE_EXTRACTIVE = 0, CS_MODE_MODEL } cs_summary_mode;

typedef int (*cs_token_callback)(void *ctx, const char *piece, size_t len);

typedef struct {
    void *ctx;
    size_t context_tokens;     /* the model's context length */
    size_t max_new_tokens;     /* per generation; 0 means 512 */
    cs_token_counter count;    /* tokens of a text in this model; may be NULL */
    /* Generate a reply to (system, user) using the model's chat template.
     * Calls on_token for each piece (if non-NULL; non-zero return stops
     * with CS_ERR_CANCELLED).  *out: malloc'd reply text. */
    int (*generate)(void *ctx, const char *system, const char *user, size_t max_new_tokens,
                    cs_token_callback on_token, void *cb_ctx, char **out);
    const char *name;          /* model file name for reports, or NULL */
} cs_generator;

struct cs_redactor;

typedef struct {
    const struct cs_redactor *redactor;      /* shared detector, or NULL: one per run */
    cs_summary_style style;
    const cs_extractive_options *extractive; /* NULL: defaults */
    const cs_generator *generator;           /* NULL: extractive mode */
    cs_token_callback on_token;              /* model streaming, may be NULL */
    void *on_token_ctx;
    int allow_unredacted;  /* only when no redaction library is built in */
    size_t max_bytes;      /* parse cap; 0: parser default */
} cs_pipeline_options;

typedef enum {
    CS_STEP_PARSE = 0, CS_STEP_REDACT, CS_STEP_SUMMARIZE, CS_STEP_CHECK, CS_STEP_COUNT
} cs_pipeline_step;

typedef struct {
    cs_document *doc;          /* the REDACTED document (no header identity) */
    cs_summary summary;
    cs_summary_mode mode;
    char *model_text;          /* model mode: the generated text */
    size_t model_parts;        /* model mode: prompts sent before combining */
    cs_flag_list flags;        /* unsupported items in the summary */
    int redacted;              /* 1 when redaction ran */
    size_t redaction[CS_PIPELINE_MAX_CATEGORIES]; /* spans per category */
    size_t n_categories;
    double timings_ms[CS_STEP_COUNT];
    double total_ms;
} cs_pipeline_result;

int cs_pipeline_run(const uint8_t *data, size_t len, const cs_pipeline_options *opt,
                    cs_pipeline_result *out);
void cs_pipeline_result_free(cs_pipeline_result *r);

/* Name of redaction category i ("NAME", "DATE", ...), or NULL. */
const char *cs_pipeline_category_name(size_t i);
/* "parse", "redact", "summarize", "check". */
const char *cs_pipeline_step_name(cs_pipeline_step s);
/* Is the redaction library built in? */
int cs_pipeline_has_redaction(void);
/* A detector to share between runs (costly to create; immutable, so
 * threads may share it).  CS_ERR_UNSUPPORTED without redaction. */
int cs_pipeline_redactor_new(struct cs_redactor **out);
void cs_pipeline_redactor_free(struct cs_redactor *r);

/* Parse a model's text summary into sections ("## Heading" / "Heading:"
 * lines start a section, "- item" / other lines are items). */
int cs_summary_from_text(const char *text, cs_summary *out);

#endif
