/*
 * cmd_summarize.c: `clinsum summarize FILE [--model M.gguf] [--style S]
 * [--format md|json|fhir] [--out PATH] [--audit LOG] [--max-bytes N]`.
 */
#include "cli_model.h"
#include "commands.h"
#include "cs_err.h"
#include "cs_fileio.h"
#include "cs_parse.h"
#include "pipeline.h"
#include "summary_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_line[] =
    "usage: clinsum summarize FILE [--model M.gguf] [--style brief|handoff|patient] "
    "[--format md|json|fhir] [--out PATH] [--max-bytes N]\n";

/* Streams model tokens to stderr when it is a terminal (stdout carries the
 * finished, checked summary). */
static int stream_token(void *ctx, const char *piece, size_t len)
{
    (void)ctx;
    fwrite(piece, 1, len, stderr);
    return 0;
}

int cmd_summarize(int argc, char **argv)
{
    const char *file = NULL, *model = NULL, *out = NULL, *audit = NULL;
    int style = CS_STYLE_HANDOFF, fmt = CS_OUT_MARKDOWN;
    size_t max_bytes = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--model") && has) model = argv[++i];
        else if (!strcmp(a, "--out") && has) out = argv[++i];
        else if (!strcmp(a, "--audit") && has) audit = argv[++i];
        else if (!strcmp(a, "--max-bytes") && has) max_bytes = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--style") && has) {
            if ((style = cs_style_parse(argv[++i])) < 0) { fprintf(stderr, "clinsum summarize: unknown style '%s'\n", argv[i]); return 2; }
        } else if (!strcmp(a, "--format") && has) {
            if ((fmt = cs_output_format_parse(argv[++i])) < 0) { fprintf(stderr, "clinsum summarize: unknown format '%s'\n", argv[i]); return 2; }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "clinsum summarize: unknown option '%s'\n", a);
            return 2;
        } else if (!file) file = a;
        else { fputs(usage_line, stderr); return 2; }
    }
    if (!file) { fputs(usage_line, stderr); return 2; }
    (void)audit;

    uint8_t *data;
    size_t len;
    int rc = cs_read_file(file, max_bytes ? max_bytes : CS_PARSE_DEFAULT_MAX_BYTES, &data, &len);
    if (rc != CS_OK) { cs_cli_error(file, rc); return 1; }
    cs_parse_init();

    /* Model: found and opened, or the extractive summarizer with a note. */
    char *model_path = cs_cli_find_model(model);
    cs_generator gen;
    int have_model = 0;
    const char *note = NULL;
    if (model_path) {
        rc = cs_cli_generator_open(model_path, &gen);
        if (rc == CS_OK) have_model = 1;
        else if (model) { /* the user named it: its failure is an error */
            cs_cli_error(model, rc);
            free(model_path);
            free(data);
            return 1;
        }
    }
    if (!have_model) note = cs_cli_no_model_note(model_path != NULL);

    cs_pipeline_options opt = {.style = (cs_summary_style)style, .max_bytes = max_bytes,
                               .generator = have_model ? &gen : NULL, .allow_unredacted = 1,
                               .on_token = isatty(2) ? stream_token : NULL};
    cs_pipeline_result res;
    rc = cs_pipeline_run(data, len, &opt, &res);
    free(data);
    if (have_model) cs_cli_generator_close(&gen);
    free(model_path);
    if (rc != CS_OK) { cs_pipeline_result_free(&res); cs_cli_error(file, rc); return 1; }

    char *text = cs_format_result((cs_output_format)fmt, &res, (cs_summary_style)style, note);
    if (!text) { cs_pipeline_result_free(&res); cs_cli_error(file, CS_ERR_NOMEM); return 1; }
    size_t tl = strlen(text);
    int status = 0;
    if (out) {
        rc = cs_write_file_atomic(out, text, tl);
        if (rc != CS_OK) { cs_cli_error(out, rc); status = 1; }
    } else {
        fwrite(text, 1, tl, stdout);
        if (tl && text[tl - 1] != '\n') putchar('\n');
    }
    if (res.flags.n)
        fprintf(stderr, "clinsum: %s: warning: %zu item(s) in the summary were not found in the source; check them before use\n",
                file, res.flags.n);
    if (!res.redacted)
        fprintf(stderr, "clinsum: %s: warning: this build has no redaction; identifiers were not removed\n", file);
    free(text);
    cs_pipeline_result_free(&res);
    return status;
}
