/* tokenize.c: tokenizer speed.  `bench_tokenize [--model M.gguf] [FILE]`
 * tokenizes FILE (default: the golden prompts repeated to 1 MiB) five times
 * and prints the best MB/s and tokens/s.  Defaults come from ../shared;
 * without it and without arguments it prints "skip:". */
#include "cs_buf.h"
#include "cs_err.h"
#include "gguf.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int slurp(const char *path, cs_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) cs_buf_append(b, chunk, n);
    fclose(f);
    return 1;
}

int main(int argc, char **argv)
{
    const char *model = CS_SHARED_DIR "/models/smollm2-135m-shape-random-q4_k_m.gguf";
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) model = argv[++i];
        else file = argv[i];
    }
    cs_buf text = {0};
    if (file ? !slurp(file, &text) : !slurp(CS_SHARED_DIR "/golden/prompts.txt", &text)) {
        printf("skip: bench_tokenize: no input (%s)\n", file ? file : "../shared absent");
        return 0;
    }
    if (!file) {
        cs_buf big = {0};
        while (big.len < (1u << 20)) cs_buf_append(&big, text.data, text.len);
        cs_buf_free(&text);
        text = big;
    }
    cs_gguf *g;
    cs_tokenizer *t;
    const char *why = NULL;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (cs_gguf_open_file(model, &g, &why) != CS_OK || cs_tokenizer_load(g, &t, &why) != CS_OK) {
        printf("skip: bench_tokenize: %s: %s\n", model, why ? why : "cannot load");
        return 0;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double load = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    cs_gguf_free(g);
    double best = 1e9;
    size_t n = 0;
    for (int rep = 0; rep < 5; rep++) {
        int32_t *ids;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (cs_tokenize(t, text.data, text.len, CS_TOK_PARSE_SPECIAL, &ids, &n) != CS_OK) return 1;
        clock_gettime(CLOCK_MONOTONIC, &b);
        double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        if (s < best) best = s;
        free(ids);
    }
    printf("bench_tokenize: %s (%s/%s): %zu bytes -> %zu tokens, best of 5 %.4f s: %.2f MB/s, %.0f tokens/s; "
           "tokenizer load %.3f s\n",
           strrchr(model, '/') ? strrchr(model, '/') + 1 : model,
           cs_tokenizer_kind(t) == CS_TOK_BPE ? "bpe" : "spm", cs_tokenizer_pre(t), text.len, n, best,
           (double)text.len / 1e6 / best, (double)n / best, load);
    cs_tokenizer_free(t);
    cs_buf_free(&text);
    return 0;
}
