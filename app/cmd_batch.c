/*
 * cmd_batch.c: `clinsum batch IN_DIR --out OUT_DIR [--jobs N] [--format
 * md|json|fhir] [--model M.gguf | --extractive]`: summarize every file of a
 * folder.
 *
 * Each output is written atomically as OUT_DIR/<input name>.<md|json|fhir.json>;
 * a file whose output already exists is skipped, so an interrupted batch
 * resumes where it stopped.  A file that fails is reported with its reason
 * and the batch goes on.  On a terminal, stderr shows a progress bar with
 * files done and the time left; stdout ends with a table of every file's
 * outcome.  Exit status 1 when any file failed.
 */
#include "cli_model.h"
#include "commands.h"
#include "cs_err.h"
#include "cs_fileio.h"
#include "cs_parse.h"
#include "pipeline.h"
#include "summary_format.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef enum { ST_PENDING = 0, ST_OK, ST_SKIPPED, ST_FAILED } status;

typedef struct {
    char *name;
    status st;
    int err;
    double ms;
} job;

typedef struct {
    const char *in_dir, *out_dir, *ext;
    cs_output_format fmt;
    const cs_generator *gen;
    const struct cs_redactor *redactor;
    const char *note;
    job *jobs;
    size_t n, next, done, failed, skipped;
    double t0, work_ms; /* wall start; summed time of files actually processed */
    int tty;
    pthread_mutex_t mu;
} batch;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *join(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(name) + (ext ? strlen(ext) : 0) + 3;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s", dir, name, ext ? ext : "");
    return p;
}

static void progress(batch *b)
{
    if (!b->tty) return;
    size_t width = 30, fill = b->n ? b->done * width / b->n : width;
    double el = now_s() - b->t0;
    size_t processed = b->done - b->skipped;
    double left = processed ? el / (double)processed * (double)(b->n - b->done) : 0;
    char bar[64];
    for (size_t i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu files, %zu failed, %02d:%02d left ", bar, b->done, b->n, b->failed,
            (int)(left / 60), (int)left % 60);
    if (b->done == b->n) fputc('\n', stderr);
    fflush(stderr);
}

static int run_one(batch *b, job *j)
{
    char *in = join(b->in_dir, j->name, NULL), *out = join(b->out_dir, j->name, b->ext);
    int rc = in && out ? CS_OK : CS_ERR_NOMEM;
    struct stat st;
    if (rc == CS_OK && stat(out, &st) == 0) { free(in); free(out); return 1; } /* finished before */
    uint8_t *data = NULL;
    size_t len = 0;
    if (rc == CS_OK) rc = cs_read_file(in, CS_PARSE_DEFAULT_MAX_BYTES, &data, &len);
    cs_pipeline_result r;
    memset(&r, 0, sizeof r);
    if (rc == CS_OK) {
        cs_pipeline_options o = {.style = CS_STYLE_HANDOFF, .generator = b->gen, .allow_unredacted = 1,
                               .redactor = b->redactor};
        rc = cs_pipeline_run(data, len, &o, &r);
    }
    char *text = NULL;
    if (rc == CS_OK && !(text = cs_format_result(b->fmt, &r, CS_STYLE_HANDOFF, b->note))) rc = CS_ERR_NOMEM;
    if (rc == CS_OK) rc = cs_write_file_atomic(out, text, strlen(text));
    j->ms = r.total_ms;
    j->err = rc;
    free(text);
    cs_pipeline_result_free(&r);
    free(data);
    free(in);
    free(out);
    return rc == CS_OK ? 0 : -1;
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->mu);
        size_t i = b->next < b->n ? b->next++ : b->n;
        pthread_mutex_unlock(&b->mu);
        if (i == b->n) break;
        int r = run_one(b, &b->jobs[i]);
        pthread_mutex_lock(&b->mu);
        b->jobs[i].st = r > 0 ? ST_SKIPPED : r == 0 ? ST_OK : ST_FAILED;
        b->done++;
        if (r > 0) b->skipped++;
        if (r < 0) b->failed++;
        progress(b);
        pthread_mutex_unlock(&b->mu);
    }
    return NULL;
}

static int cmp_job(const void *a, const void *b) { return strcmp(((const job *)a)->name, ((const job *)b)->name); }

int cmd_batch(int argc, char **argv)
{
    const char *in_dir = NULL, *out_dir = NULL, *model = NULL;
    long jobs = 1;
    int fmt = CS_OUT_MARKDOWN, extractive = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) out_dir = argv[++i];
        else if (!strcmp(argv[i], "--jobs") && i + 1 < argc) jobs = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--model") && i + 1 < argc) model = argv[++i];
        else if (!strcmp(argv[i], "--extractive")) extractive = 1;
        else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            if ((fmt = cs_output_format_parse(argv[++i])) < 0) { fprintf(stderr, "clinsum batch: unknown format '%s'\n", argv[i]); return 2; }
        } else if (argv[i][0] == '-' && argv[i][1]) { fprintf(stderr, "clinsum batch: unknown option '%s'\n", argv[i]); return 2; }
        else in_dir = argv[i];
    }
    if (!in_dir || !out_dir || jobs < 1 || jobs > 64) {
        fprintf(stderr, "usage: clinsum batch IN_DIR --out OUT_DIR [--jobs N (1-64)] [--format md|json|fhir] [--model M.gguf | --extractive]\n");
        return 2;
    }
    DIR *d = opendir(in_dir);
    if (!d) { cs_cli_error(in_dir, CS_ERR_IO); return 1; }
    if (mkdir(out_dir, 0700) != 0 && errno != EEXIST) { closedir(d); cs_cli_error(out_dir, CS_ERR_IO); return 1; }

    batch b = {.in_dir = in_dir, .out_dir = out_dir, .fmt = (cs_output_format)fmt, .tty = isatty(2)};
    b.ext = fmt == CS_OUT_JSON ? ".json" : fmt == CS_OUT_FHIR ? ".fhir.json" : ".md";
    size_t cap = 0;
    struct dirent *e;
    int rc = CS_OK;
    while ((e = readdir(d)) != NULL && rc == CS_OK) {
        if (e->d_name[0] == '.') continue;
        char *p = join(in_dir, e->d_name, NULL);
        struct stat st;
        int reg = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
        free(p);
        if (!reg) continue;
        if (b.n == cap) {
            cap = cap ? cap * 2 : 64;
            job *q = realloc(b.jobs, cap * sizeof *q);
            if (!q) { rc = CS_ERR_NOMEM; break; }
            b.jobs = q;
        }
        b.jobs[b.n] = (job){.name = strdup(e->d_name)};
        if (!b.jobs[b.n].name) rc = CS_ERR_NOMEM;
        else b.n++;
    }
    closedir(d);
    if (rc != CS_OK) { cs_cli_error(in_dir, rc); goto out; }
    qsort(b.jobs, b.n, sizeof *b.jobs, cmp_job);

    cs_parse_init();
    cs_generator gen;
    int have_model = 0, open_rc = CS_OK;
    char *model_path = extractive ? NULL : cs_cli_find_model(model);
    if (model_path) {
        rc = open_rc = cs_cli_generator_open(model_path, &gen);
        if (rc == CS_OK) have_model = 1;
        else if (model) { cs_cli_error(model, rc); free(model_path); rc = 1; goto out; }
        rc = CS_OK;
    }
    b.gen = have_model ? &gen : NULL;
    char note_buf[256];
    b.note = have_model || extractive ? NULL : cs_cli_no_model_note(model_path != NULL, open_rc, note_buf, sizeof note_buf);
    free(model_path);
    if (have_model) jobs = 1; /* one model context */

    struct cs_redactor *red = NULL;
    cs_pipeline_redactor_new(&red);
    b.redactor = red;
    pthread_mutex_init(&b.mu, NULL);
    b.t0 = now_s();
    progress(&b);
    pthread_t th[64];
    long started = 0;
    for (long i = 0; i < jobs - 1; i++)
        if (pthread_create(&th[started], NULL, worker, &b) == 0) started++;
    worker(&b);
    for (long i = 0; i < started; i++) pthread_join(th[i], NULL);
    pthread_mutex_destroy(&b.mu);
    cs_pipeline_redactor_free(red);
    if (have_model) cs_cli_generator_close(&gen);

    printf("%-40s %-8s %s\n", "file", "status", "detail");
    for (size_t i = 0; i < b.n; i++) {
        const job *j = &b.jobs[i];
        if (j->st == ST_OK) printf("%-40s %-8s %.1f ms\n", j->name, "ok", j->ms);
        else if (j->st == ST_SKIPPED) printf("%-40s %-8s already done\n", j->name, "skipped");
        else printf("%-40s %-8s %s\n", j->name, "FAILED", cs_strerror(j->err));
    }
    printf("%zu files: %zu summarized, %zu skipped (already done), %zu failed in %.1f s\n", b.n,
           b.n - b.skipped - b.failed, b.skipped, b.failed, now_s() - b.t0);
    rc = b.failed ? 1 : 0;
out:
    for (size_t i = 0; i < b.n; i++) free(b.jobs[i].name);
    free(b.jobs);
    return rc < 0 ? 1 : rc;
}
