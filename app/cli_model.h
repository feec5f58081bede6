/*
 * cli_model.h: the CLI's model policy: where a model file is looked for and
 * how the pipeline reaches it.
 *
 * Discovery order: --model PATH, then $CLINSUM_MODEL, then the first *.gguf
 * (by name) in ./models/ and then in ../shared/models/.  When the build has
 * no inference module or no model is found, the CLI uses the extractive
 * summarizer and says so (cs_cli_no_model_note).
 *
 * Ownership: cs_cli_find_model returns a malloc'd path (caller frees) or
 * NULL.  cs_cli_generator_open fills a cs_generator the caller closes with
 * cs_cli_generator_close.  Not thread-safe per generator.
 */
#ifndef CS_CLI_MODEL_H
#define CS_CLI_MODEL_H

#include "pipeline.h"

char *cs_cli_find_model(const char *explicit_path);
/* Open the model at path as a generator.  CS_ERR_UNSUPPORTED when this
 * build has no inference module. */
int cs_cli_generator_open(const char *path, cs_generator *g);
void cs_cli_generator_close(cs_generator *g);
/* The note shown when the extractive summarizer was used instead of a model:
 * none found (model_found 0), or the one found could not be opened (err,
 * e.g. CS_ERR_UNSUPPORTED when the build has no model runtime).  Written
 * into buf (size cap); returns buf. */
const char *cs_cli_no_model_note(int model_found, int err, char *buf, size_t cap);

#endif
