/*
 * cmd_eval_summary.c: `clinsum eval-summary DIR [--json] [--model M.gguf]
 * [--max-tokens N] [--limit N]`: ROUGE of the pipeline's summaries against reference notes.
 *
 * DIR holds *.jsonl files, one {"id", "source", "reference"} object a line
 * (the layout of ../shared/corpus/summ-aci-bench).  Each source goes
 * through the same pipeline as `clinsum summarize` (parse, redact,
 * summarize, check); ROUGE-1/2/L F1 are averaged per note, per file and
 * over all files.
 */
#include "cli_model.h"
#include "commands.h"
#include "cs_err.h"
#include "cs_fileio.h"
#include "cs_parse.h"
#include "pipeline.h"
#include "rouge.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t n, failed;
    double r1, r2, rl, words, flags, seconds;
} totals;

static void add_totals(totals *a, const totals *b)
{
    a->n += b->n; a->failed += b->failed;
    a->r1 += b->r1; a->r2 += b->r2; a->rl += b->rl;
    a->words += b->words; a->flags += b->flags; a->seconds += b->seconds;
}

static cJSON *totals_json(const totals *t, const char *mode)
{
    double n = t->n ? (double)t->n : 1.0;
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "n", (double)t->n);
    cJSON_AddNumberToObject(o, "failed", (double)t->failed);
    cJSON_AddStringToObject(o, "mode", mode);
    cJSON_AddNumberToObject(o, "rouge1", t->r1 / n);
    cJSON_AddNumberToObject(o, "rouge2", t->r2 / n);
    cJSON_AddNumberToObject(o, "rougeL", t->rl / n);
    cJSON_AddNumberToObject(o, "mean_words", t->words / n);
    cJSON_AddNumberToObject(o, "flags_per_summary", t->flags / n);
    cJSON_AddNumberToObject(o, "seconds_per_document", t->seconds / n);
    return o;
}

static void print_row(const char *name, const totals *t)
{
    double n = t->n ? (double)t->n : 1.0;
    printf("%-20s %5zu %8.4f %8.4f %8.4f %8.1f %8.2f %10.4f%s\n", name, t->n, t->r1 / n, t->r2 / n,
           t->rl / n, t->words / n, t->flags / n, t->seconds / n, t->failed ? "  (some failed)" : "");
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Score every line of one .jsonl file into t.  Returns CS_OK or an error
 * for the file as a whole (bad lines count as failed). */
static int eval_file(const char *path, const cs_pipeline_options *opt, size_t limit, totals *t)
{
    uint8_t *data;
    size_t len;
    int rc = cs_read_file(path, (size_t)1 << 30, &data, &len);
    if (rc != CS_OK) return rc;
    char *p = (char *)data;
    while (*p && (!limit || t->n + t->failed < limit)) {
        char *e = strchr(p, '\n');
        if (e) *e = '\0';
        if (*p) {
            cJSON *o = cJSON_Parse(p);
            const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
            const cJSON *ref = cJSON_GetObjectItemCaseSensitive(o, "reference");
            cs_pipeline_result res;
            int ok = cJSON_IsString(src) && cJSON_IsString(ref) &&
                     cs_pipeline_run((const uint8_t *)src->valuestring, strlen(src->valuestring), opt, &res) == CS_OK;
            char *text = NULL;
            if (ok) text = res.mode == CS_MODE_MODEL ? strdup(res.model_text ? res.model_text : "")
                                                     : cs_summary_to_text(&res.summary);
            cs_rouge_scores sc;
            if (ok && text && cs_rouge_score_texts(text, ref->valuestring, &sc) == CS_OK) {
                t->n++;
                t->r1 += sc.rouge1.f1; t->r2 += sc.rouge2.f1; t->rl += sc.rougeL.f1;
                cs_rouge_tokens tk;
                if (cs_rouge_tokenize(text, &tk) == CS_OK) { t->words += (double)tk.n; cs_rouge_tokens_free(&tk); }
                t->flags += (double)res.flags.n;
                t->seconds += res.total_ms / 1000.0;
            } else {
                t->failed++;
            }
            free(text);
            if (cJSON_IsString(src) && cJSON_IsString(ref)) cs_pipeline_result_free(&res);
            cJSON_Delete(o);
        }
        if (!e) break;
        p = e + 1;
    }
    free(data);
    return CS_OK;
}

int cmd_eval_summary(int argc, char **argv)
{
    const char *dir = NULL, *model = NULL;
    int json = 0;
    size_t limit = 0, max_tokens = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else if (!strcmp(argv[i], "--model") && i + 1 < argc) model = argv[++i];
        else if (!strcmp(argv[i], "--limit") && i + 1 < argc) limit = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--max-tokens") && i + 1 < argc) max_tokens = strtoull(argv[++i], NULL, 10);
        else if (argv[i][0] == '-' && argv[i][1]) { fprintf(stderr, "clinsum eval-summary: unknown option '%s'\n", argv[i]); return 2; }
        else dir = argv[i];
    }
    if (!dir) { fprintf(stderr, "usage: clinsum eval-summary DIR [--json] [--model M.gguf [--max-tokens N]] [--limit N]\n"); return 2; }

    DIR *d = opendir(dir);
    if (!d) { cs_cli_error(dir, CS_ERR_IO); return 1; }
    char **names = NULL;
    size_t n_names = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 7 || strcmp(de->d_name + n - 6, ".jsonl")) continue;
        char **p = realloc(names, (n_names + 1) * sizeof *p);
        if (!p || !(p[n_names] = strdup(de->d_name))) { closedir(d); cs_cli_error(dir, CS_ERR_NOMEM); return 1; }
        names = p;
        n_names++;
    }
    closedir(d);
    if (!n_names) { fprintf(stderr, "clinsum: %s: no .jsonl files\n", dir); free(names); return 1; }
    qsort(names, n_names, sizeof *names, cmp_str);

    cs_parse_init();
    cs_generator gen;
    int have_model = 0;
    if (model) {
        int rc = cs_cli_generator_open(model, &gen);
        if (rc != CS_OK) {
            cs_cli_error(model, rc);
            for (size_t i = 0; i < n_names; i++) free(names[i]);
            free(names);
            return 1;
        }
        have_model = 1;
        if (max_tokens) gen.max_new_tokens = max_tokens;
    }
    struct cs_redactor *red = NULL;
    cs_pipeline_redactor_new(&red); /* NULL without redaction: allowed below */
    cs_pipeline_options opt = {.style = CS_STYLE_HANDOFF, .generator = have_model ? &gen : NULL,
                               .allow_unredacted = 1, .redactor = red};
    const char *mode = have_model ? "model" : "extractive";
    totals all = {0};
    cJSON *root = cJSON_CreateObject(), *files = cJSON_CreateObject();
    if (!json) printf("%-20s %5s %8s %8s %8s %8s %8s %10s\n", "file", "n", "rouge1", "rouge2", "rougeL", "words", "flags", "sec/doc");
    int status = 0;
    for (size_t i = 0; i < n_names; i++) {
        size_t pl = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(pl);
        totals t = {0};
        int rc = path ? CS_OK : CS_ERR_NOMEM;
        if (path) {
            snprintf(path, pl, "%s/%s", dir, names[i]);
            rc = eval_file(path, &opt, limit, &t);
        }
        if (rc != CS_OK) { cs_cli_error(path ? path : names[i], rc); status = 1; }
        else {
            add_totals(&all, &t);
            if (json) cJSON_AddItemToObject(files, names[i], totals_json(&t, mode));
            else print_row(names[i], &t);
        }
        free(path);
        free(names[i]);
    }
    free(names);
    if (have_model) cs_cli_generator_close(&gen);
    cs_pipeline_redactor_free(red);
    if (json) {
        cJSON *o = totals_json(&all, mode);
        cJSON_AddItemToObject(o, "files", files);
        cJSON_AddBoolToObject(o, "redaction_applied", cs_pipeline_has_redaction());
        char *s = cJSON_PrintUnformatted(o);
        if (s) puts(s);
        free(s);
        cJSON_Delete(o);
        cJSON_Delete(root);
    } else {
        cJSON_Delete(files);
        cJSON_Delete(root);
        print_row("all", &all);
        printf("mode: %s; ROUGE F1 averaged per note (rouge_score tokenization, no stemming); "
               "rougeL = whole-text LCS%s\n", mode, cs_pipeline_has_redaction() ? "; sources redacted first" : "; NO redaction in this build");
    }
    if (all.n == 0) status = 1;
    return status;
}
