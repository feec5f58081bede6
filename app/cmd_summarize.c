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

#ifdef CS_HAVE_AUDIT
#include "cs_audit.h"
#include "gguf.h"
#endif

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_line[] =
    "usage: clinsum summarize FILE [--model M.gguf] [--style brief|handoff|patient] "
    "[--format md|json|fhir] [--out PATH] [--audit LOG] [--extractive] [--max-tokens N] [--max-bytes N]\n";

/* Audit events for one run: hashes, counts and settings, never text.  The
 * "document opened" event is written before the pipeline runs, so a
 * failure still leaves a trace of what was opened. */
#ifdef CS_HAVE_AUDIT
static int audit_opened(cs_audit *a, const uint8_t *data, size_t len)
{
    return cs_audit_document_opened(a, data, len, cs_format_name(cs_detect_format(data, len)));
}

/* model_loaded: the file's SHA-256 (every byte read), the architecture and
 * quantization of the GGUF the generator runs; the path is not recorded. */
static int audit_model(cs_audit *a, const char *path, const cs_gguf *g)
{
    uint8_t h[32];
    int rc = cs_audit_sha256_file(path, h);
    if (rc != CS_OK) return rc;
    const char *arch = NULL;
    if (cs_gguf_get_str(g, "general.architecture", &arch) != CS_OK || !cs_audit_valid_enum(arch)) arch = "unknown";
    const char *quant = cs_gguf_quant_name(g);
    return cs_audit_model_loaded(a, h, arch, cs_audit_valid_enum(quant) ? quant : "unknown");
}

static int audit_result(cs_audit *a, const cs_pipeline_result *r, const char *text)
{
    int rc = cs_audit_parsed(a, r->doc ? r->doc->n_sections : 0, cs_format_name(r->doc ? r->doc->format : CS_FMT_UNKNOWN));
    cs_audit_count counts[CS_PIPELINE_MAX_CATEGORIES];
    char names[CS_PIPELINE_MAX_CATEGORIES][24];
    size_t n = 0;
    for (size_t i = 0; i < r->n_categories; i++) {
        const char *name = cs_pipeline_category_name(i);
        if (!name) continue;
        size_t k = 0;
        for (; name[k] && k < sizeof names[n] - 1; k++) names[n][k] = (char)tolower((unsigned char)name[k]);
        names[n][k] = '\0';
        counts[n] = (cs_audit_count){names[n], (int64_t)r->redaction[i]};
        n++;
    }
    if (rc == CS_OK) rc = cs_audit_redacted(a, r->redacted ? "mask" : "none", counts, n);
    cs_audit_summary_info info = {
        .output = text, .output_len = strlen(text),
        .total_ms = (int64_t)r->total_ms,
        .faithfulness_flags = (int64_t)r->flags.n};
    if (rc == CS_OK) rc = cs_audit_summary_produced(a, &info);
    return rc;
}
#endif

/* Ctrl-C during generation cancels it: the pipeline stops at the next
 * token and nothing is printed as if it were a summary. */
static volatile sig_atomic_t interrupted;
static void on_sigint(int sig) { (void)sig; interrupted = 1; }

/* Streams model tokens to stderr when it is a terminal (stdout carries the
 * finished, checked summary). */
static int stream_token(void *ctx, const char *piece, size_t len)
{
    if (ctx) fwrite(piece, 1, len, stderr);
    return interrupted != 0;
}

int cmd_summarize(int argc, char **argv)
{
    const char *file = NULL, *model = NULL, *out = NULL, *audit = NULL;
    int style = CS_STYLE_HANDOFF, fmt = CS_OUT_MARKDOWN;
    size_t max_bytes = 0, max_tokens = 0;
    int extractive = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--model") && has) model = argv[++i];
        else if (!strcmp(a, "--out") && has) out = argv[++i];
        else if (!strcmp(a, "--audit") && has) audit = argv[++i];
        else if (!strcmp(a, "--max-bytes") && has) max_bytes = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--extractive")) extractive = 1;
        else if (!strcmp(a, "--max-tokens") && has) max_tokens = strtoull(argv[++i], NULL, 10);
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
#ifdef CS_HAVE_AUDIT
    cs_audit *log = NULL;
    if (audit) {
        int arc = cs_audit_open(audit, NULL, &log);
        if (arc != CS_OK) { cs_cli_error(audit, arc); return 1; }
    }
#define AUDIT_CLOSE() (log ? cs_audit_close(log) : CS_OK)
#else
    if (audit) { fprintf(stderr, "clinsum: %s: this build has no audit log\n", audit); return 1; }
#define AUDIT_CLOSE() CS_OK
#endif

    uint8_t *data;
    size_t len;
    int rc = cs_read_file(file, max_bytes ? max_bytes : CS_PARSE_DEFAULT_MAX_BYTES, &data, &len);
    if (rc != CS_OK) { AUDIT_CLOSE(); cs_cli_error(file, rc); return 1; }
    cs_parse_init();
#ifdef CS_HAVE_AUDIT
    if (log && (rc = audit_opened(log, data, len)) != CS_OK) {
        AUDIT_CLOSE();
        free(data);
        cs_cli_error(audit, rc);
        return 1;
    }
#endif

    /* Model: found and opened, or the extractive summarizer with a note. */
    if (extractive && model) { fputs("clinsum summarize: --extractive and --model exclude each other\n", stderr); free(data); AUDIT_CLOSE(); return 2; }
    char *model_path = extractive ? NULL : cs_cli_find_model(model);
    cs_generator gen;
    int have_model = 0;
    const char *note = NULL;
    if (model_path) {
        rc = cs_cli_generator_open(model_path, &gen);
        if (rc == CS_OK) {
            have_model = 1;
            if (max_tokens) gen.max_new_tokens = max_tokens;
        }
        else if (model) { /* the user named it: its failure is an error */
            cs_cli_error(model, rc);
            free(model_path);
            free(data);
            AUDIT_CLOSE();
            return 1;
        }
    }
#ifdef CS_HAVE_AUDIT
    if (log && have_model && (rc = audit_model(log, model_path, cs_cli_generator_gguf(&gen))) != CS_OK) {
        cs_cli_generator_close(&gen);
        free(model_path);
        free(data);
        AUDIT_CLOSE();
        cs_cli_error(audit, rc);
        return 1;
    }
#endif
    char note_buf[256];
    if (!have_model && !extractive) note = cs_cli_no_model_note(model_path != NULL, rc, note_buf, sizeof note_buf);
    if (have_model) {
        /* Say which model wrote it (a file name, never document text), so a
         * reader can tell a real model from a test file. */
        const char *base = strrchr(model_path, '/');
        note = cs_cli_model_note(base ? base + 1 : model_path, note_buf, sizeof note_buf);
    }
    if (extractive) note = "Extractive summary (every line is taken from the document), as asked with --extractive.";

    cs_pipeline_options opt = {.style = (cs_summary_style)style, .max_bytes = max_bytes,
                               .generator = have_model ? &gen : NULL, .allow_unredacted = 1,
                               .on_token = stream_token, .on_token_ctx = isatty(2) ? stderr : NULL};
    if (have_model) signal(SIGINT, on_sigint);
    cs_pipeline_result res;
    rc = cs_pipeline_run(data, len, &opt, &res);
    free(data);
    if (have_model) {
        signal(SIGINT, SIG_DFL);
        if (isatty(2)) fputc('\n', stderr);
        cs_cli_generator_close(&gen);
    }
    free(model_path);
    if (rc != CS_OK) { cs_pipeline_result_free(&res); AUDIT_CLOSE(); cs_cli_error(file, rc); return 1; }

    char *text = cs_format_result((cs_output_format)fmt, &res, (cs_summary_style)style, note);
    if (!text) { cs_pipeline_result_free(&res); AUDIT_CLOSE(); cs_cli_error(file, CS_ERR_NOMEM); return 1; }
    int status = 0;
#ifdef CS_HAVE_AUDIT
    if (log && (rc = audit_result(log, &res, text)) != CS_OK) { cs_cli_error(audit, rc); status = 1; }
#endif
    if (AUDIT_CLOSE() != CS_OK && audit) { cs_cli_error(audit, CS_ERR_IO); status = 1; }
    if (status) { free(text); cs_pipeline_result_free(&res); return status; }
    size_t tl = strlen(text);
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
