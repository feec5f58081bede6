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
/* The same over a GGUF already loaded (the browser streams it in): takes
 * ownership of gguf (freed on failure too and by close); name (borrowed,
 * must outlive the generator) is the file name reports show. */
struct cs_gguf;
int cs_cli_generator_from_gguf(struct cs_gguf *gguf, const char *name, int n_threads, cs_generator *g);
void cs_cli_generator_close(cs_generator *g);
/* The GGUF an open generator runs (owned by it; valid until close), for
 * describing the model (architecture, quantization) without opening the
 * file again. */
const struct cs_gguf *cs_cli_generator_gguf(const cs_generator *g);
/* The line a model summary carries, naming the model file (no document
 * text); written into buf (size cap), returns buf. */
const char *cs_cli_model_note(const char *name, char *buf, size_t cap);
/* The note shown when the extractive summarizer was used instead of a model:
 * none found (model_found 0), or the one found could not be opened (err,
 * e.g. CS_ERR_UNSUPPORTED when the build has no model runtime).  Written
 * into buf (size cap); returns buf. */
const char *cs_cli_no_model_note(int model_found, int err, char *buf, size_t cap);

#endif
