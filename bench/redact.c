/* bench_redact: redaction throughput, single thread, on the PHI-annotated
 * corpus notes (../shared/corpus/phi-*), one cs_redact_text call per note
 * as the pipeline makes them.  Falls back to the bundled sample when the
 * corpus is absent.  Prints MB/s; never a pass/fail test. */
#include "cs_err.h"
#include "cs_redact.h"
#include "cs_test_files.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { char **text; size_t *len; size_t n, cap, bytes; } notes;

static void add(notes *ns, const char *s, size_t n)
{
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 256;
        ns->text = realloc(ns->text, ns->cap * sizeof *ns->text);
        ns->len = realloc(ns->len, ns->cap * sizeof *ns->len);
        if (!ns->text || !ns->len) { perror("bench_redact"); exit(1); }
    }
    ns->text[ns->n] = malloc(n + 1);
    memcpy(ns->text[ns->n], s, n);
    ns->text[ns->n][n] = 0;
    ns->len[ns->n++] = n;
    ns->bytes += n;
}

static void load_jsonl(notes *ns, const char *path)
{
    size_t n;
    char *b = cs_test_slurp(path, &n);
    if (!b) return;
    for (char *line = strtok(b, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *o = cJSON_Parse(line), *t = o ? cJSON_GetObjectItem(o, "text") : NULL;
        if (cJSON_IsString(t)) add(ns, t->valuestring, strlen(t->valuestring));
        cJSON_Delete(o);
    }
    free(b);
}

static void run(const cs_redactor *r, const notes *ns, const char *label)
{
    cs_span_list l = {0};
    size_t spans = 0;
    int passes = 0;
    clock_t c0 = clock();
    double secs = 0;
    while (secs < 2.0 || passes < 2) {
        for (size_t i = 0; i < ns->n; i++) {
            if (cs_redact_text(r, ns->text[i], ns->len[i], NULL, &l) != CS_OK) { fprintf(stderr, "bench_redact: redaction failed\n"); exit(1); }
            spans += l.n;
        }
        passes++;
        secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
    }
    printf("bench_redact: %-22s %6zu notes %8.2f MB  %7.2f MB/s  (%zu spans/pass, single thread)\n", label, ns->n,
           ns->bytes / 1e6, passes * (double)ns->bytes / 1e6 / secs, spans / (size_t)passes);
    cs_span_list_free(&l);
}

int main(void)
{
    cs_redactor *r;
    clock_t c0 = clock();
    if (cs_redactor_new(&r) != CS_OK) { fprintf(stderr, "bench_redact: cannot create redactor\n"); return 1; }
    printf("bench_redact: redactor created in %.1f ms\n", (double)(clock() - c0) * 1000 / CLOCKS_PER_SEC);
    const char *sets[] = {"phi-physionet-deid", "phi-asq"};
    int any = 0;
    for (size_t i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/corpus/%s/notes.jsonl", CS_SHARED_DIR, sets[i]);
        notes ns = {0};
        load_jsonl(&ns, path);
        if (ns.n) { run(r, &ns, sets[i]); any = 1; }
        for (size_t k = 0; k < ns.n; k++) free(ns.text[k]);
        free(ns.text);
        free(ns.len);
    }
    if (!any) {
        size_t n;
        char *s = cs_test_slurp(CS_SOURCE_DIR "/samples/discharge_summary.txt", &n);
        notes ns = {0};
        if (s) add(&ns, s, n);
        free(s);
        printf("bench_redact: skip corpus (no %s/corpus); using the bundled sample\n", CS_SHARED_DIR);
        if (ns.n) run(r, &ns, "sample");
        if (ns.n) { free(ns.text[0]); free(ns.text); free(ns.len); }
    }
    cs_redactor_free(r);
    return 0;
}
