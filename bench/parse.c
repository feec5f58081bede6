/*
 * parse.c (bench_parse): parsing throughput per format over ../shared/corpus.
 *
 * C-CDA: ccda-sample-ccdas + ccda-hl7-examples; FHIR: the .json files of fhir/; text:
 * the "text" field of each note in phi-physionet-deid/notes.jsonl.  Each
 * set is parsed repeatedly for about half a second; prints MB/s.  Figures
 * only, never a test.  Prints a skip line when the corpus is absent.
 */
#include "cs_err.h"
#include "cs_parse.h"
#include "cs_test_files.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#ifndef CS_SHARED_DIR
#define CS_SHARED_DIR "../shared"
#endif

typedef struct {
    char **data;
    size_t *len;
    size_t n, cap, bytes;
} file_set;

static void add(file_set *s, char *p, size_t n)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->data = realloc(s->data, s->cap * sizeof *s->data);
        s->len = realloc(s->len, s->cap * sizeof *s->len);
    }
    s->data[s->n] = p;
    s->len[s->n++] = n;
    s->bytes += n;
}

static void add_dir(file_set *s, const char *dir, const char *ext)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name), m = strlen(ext);
        if (l <= m || strcasecmp(e->d_name + l - m, ext)) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t n;
        char *p = cs_test_slurp(path, &n);
        if (p) add(s, p, n);
    }
    closedir(d);
}

static void add_jsonl_texts(file_set *s, const char *path)
{
    size_t n;
    char *all = cs_test_slurp(path, &n);
    if (!all) return;
    for (char *line = strtok(all, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *o = cJSON_Parse(line);
        const cJSON *t = cJSON_GetObjectItem(o, "text");
        if (cJSON_IsString(t)) add(s, strdup(t->valuestring), strlen(t->valuestring));
        cJSON_Delete(o);
    }
    free(all);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void run(const char *name, file_set *s)
{
    if (!s->n) { printf("bench_parse: %-6s skip: no files\n", name); return; }
    size_t rounds = 0, failed = 0, sections = 0;
    double t0 = now(), t;
    do {
        for (size_t i = 0; i < s->n; i++) {
            cs_document *d;
            if (cs_parse((const uint8_t *)s->data[i], s->len[i], NULL, &d) != CS_OK) { failed++; continue; }
            sections += d->n_sections;
            cs_document_free(d);
        }
        rounds++;
    } while ((t = now() - t0) < 0.5);
    printf("bench_parse: %-6s %4zu files %7.2f MB  %8.1f MB/s  %8.0f docs/s  (%zu failed)\n", name,
           s->n, s->bytes / 1e6, s->bytes * rounds / 1e6 / t, s->n * rounds / t, failed / rounds);
    for (size_t i = 0; i < s->n; i++) free(s->data[i]);
    free(s->data);
    free(s->len);
    (void)sections;
}

int main(void)
{
    const char *corpus = CS_SHARED_DIR "/corpus";
    DIR *d = opendir(corpus);
    if (!d) { printf("bench_parse: skip: %s absent\n", corpus); return 0; }
    closedir(d);
    cs_parse_init();
    file_set ccda = {0}, fhir = {0}, text = {0};
    add_dir(&ccda, CS_SHARED_DIR "/corpus/ccda-sample-ccdas", ".xml");
    add_dir(&ccda, CS_SHARED_DIR "/corpus/ccda-hl7-examples", ".xml");
    add_dir(&fhir, CS_SHARED_DIR "/corpus/fhir", ".json");
    add_jsonl_texts(&text, CS_SHARED_DIR "/corpus/phi-physionet-deid/notes.jsonl");
    run("ccda", &ccda);
    run("fhir", &fhir);
    run("text", &text);
    return 0;
}
