/*
 * bench_summarize: milliseconds per document for the extractive summarizer
 * alone and for the whole pipeline (parse, redact, summarize, check), on the
 * bundled sample, a synthetic ten-page note, and the ACI-Bench transcripts
 * when ../shared is present.  Prints figures; never fails on speed.
 */
#include "cs_err.h"
#include "cs_fileio.h"
#include "cs_parse.h"
#include "extractive.h"
#include "pipeline.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *slurp(const char *path, size_t *len)
{
    uint8_t *p = NULL;
    return cs_read_file(path, (size_t)1 << 30, &p, len) == CS_OK ? (char *)p : NULL;
}

/* Extractive-only and pipeline ms per document over docs[0..n). */
static void bench(const char *name, char **docs, size_t *lens, size_t n, int reps,
                  const struct cs_redactor *red)
{
    double t_sum = 0, t_pipe = 0;
    size_t bytes = 0;
    for (int r = 0; r < reps; r++) {
        for (size_t i = 0; i < n; i++) {
            cs_document *d;
            if (cs_parse((const uint8_t *)docs[i], lens[i], NULL, &d) != CS_OK) continue;
            cs_summary s = {0};
            double t = now_ms();
            cs_extractive_summarize(d, NULL, &s);
            t_sum += now_ms() - t;
            cs_summary_free(&s);
            cs_document_free(d);
            cs_pipeline_options o = {.allow_unredacted = 1, .redactor = red};
            cs_pipeline_result res;
            t = now_ms();
            cs_pipeline_run((const uint8_t *)docs[i], lens[i], &o, &res);
            t_pipe += now_ms() - t;
            cs_pipeline_result_free(&res);
            if (r == 0) bytes += lens[i];
        }
    }
    double per = (double)(n * (size_t)reps);
    printf("%-34s %4zu docs %8.0f B/doc  extractive %7.3f ms/doc  pipeline %7.3f ms/doc\n", name, n,
           (double)bytes / (double)n, t_sum / per, t_pipe / per);
}

int main(void)
{
    cs_parse_init();
    struct cs_redactor *red = NULL;
    cs_pipeline_redactor_new(&red);
    size_t len;
    char *sample = slurp(CS_SOURCE_DIR "/samples/discharge_summary.txt", &len);
    if (sample) bench("sample discharge summary", &sample, &len, 1, 50, red);

    /* ten pages: ~40 KB of headed narrative */
    size_t cap = 64 * 1024, n = 0;
    char *big = malloc(cap);
    const char *heads[] = {"HISTORY OF PRESENT ILLNESS", "HOSPITAL COURSE", "DISCHARGE MEDICATIONS", "PLAN"};
    for (int h = 0; h < 4 && big; h++) {
        n += (size_t)snprintf(big + n, cap - n, "%s:\n", heads[h]);
        for (int i = 0; n < (size_t)(h + 1) * 10000; i++)
            n += (size_t)snprintf(big + n, cap - n, "On day %d creatinine was %d.%d mg/dL and furosemide %d mg was continued with daily weights.\n",
                                  i, 1 + i % 3, i % 10, 20 + i % 4 * 20);
    }
    if (big) bench("synthetic ten-page note (40 KB)", &big, &n, 1, 20, red);

    char *aci = slurp(CS_SHARED_DIR "/corpus/summ-aci-bench/train.jsonl", &len);
    if (aci) {
        char *docs[128];
        size_t lens[128], k = 0;
        for (char *p = aci; *p && k < 128;) {
            char *e = strchr(p, '\n');
            if (e) *e = '\0';
            cJSON *o = cJSON_Parse(p);
            const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "source");
            if (cJSON_IsString(s)) { docs[k] = strdup(s->valuestring); lens[k] = strlen(docs[k]); k++; }
            cJSON_Delete(o);
            if (!e) break;
            p = e + 1;
        }
        bench("ACI-Bench train transcripts", docs, lens, k, 3, red);
        for (size_t i = 0; i < k; i++) free(docs[i]);
        free(aci);
    } else {
        printf("skip: ACI-Bench transcripts (../shared absent)\n");
    }
    cs_pipeline_redactor_free(red);
    free(sample);
    free(big);
    return 0;
}
