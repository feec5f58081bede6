/* wasm_summarize: the extractive pipeline under node; prints the summary
 * Markdown (the "summary" field of `clinsum summarize --format json`). */
#include "cs_err.h"
#include "cs_parse.h"
#include "pipeline.h"
#include "summary_format.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: wasm_summarize FILE\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { fprintf(stderr, "wasm_summarize: cannot open\n"); return 1; }
    static unsigned char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    cs_parse_init();
    cs_pipeline_options o = {.allow_unredacted = 1};
    cs_pipeline_result r;
    int rc = cs_pipeline_run(buf, n, &o, &r);
    if (rc != CS_OK) { fprintf(stderr, "wasm_summarize: %s\n", cs_strerror(rc)); cs_pipeline_result_free(&r); return 1; }
    char *md = cs_summary_markdown(&r.summary);
    fputs(md ? md : "", stdout);
    printf("flags: %zu\n", r.flags.n);
    free(md);
    cs_pipeline_result_free(&r);
    return 0;
}
