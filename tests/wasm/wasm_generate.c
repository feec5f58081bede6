/* wasm_generate.c: `wasm_generate MODEL.gguf N FILE...`: for each file, the
 * greedy continuation of N tokens of its text fed verbatim (the contract of
 * `clinsum generate --greedy -n N --raw FILE`), one line of token ids per
 * file, run inside WASM (single thread, SIMD128 kernels). */
#include "cs_err.h"
#include "generate.h"
#include "gguf.h"
#include "model.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int print_id(void *user, int32_t id, const char *text, size_t len)
{
    (void)text;
    (void)len;
    if (id >= 0) printf(*(int *)user ? " %d" : "%d", id);
    *(int *)user = 1;
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    cs_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) cs_buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.data ? cs_buf_take(&b) : calloc(1, 1);
}

int main(int argc, char **argv)
{
    if (argc < 4) return 2;
    cs_gguf *g;
    cs_model *m;
    cs_tokenizer *tok;
    const char *why = NULL;
    if (cs_gguf_open_file(argv[1], &g, &why) || cs_model_load(g, &m, &why) || cs_tokenizer_load(g, &tok, &why)) {
        fprintf(stderr, "wasm_generate: %s\n", why ? why : "load failed");
        return 1;
    }
    int n = atoi(argv[2]);
    for (int a = 3; a < argc; a++) {
        size_t len, n_ids;
        char *text = slurp(argv[a], &len);
        int32_t *ids;
        if (!text || cs_tokenize(tok, text, len, CS_TOK_PARSE_SPECIAL, &ids, &n_ids)) return 1;
        cs_context_params p = {.n_ctx = (int)n_ids + n};
        cs_context *ctx;
        if (cs_context_new(m, &p, &ctx)) return 1;
        int started = 0;
        cs_gen_params gp = {.max_tokens = n, .on_token = print_id, .user = &started};
        if (cs_generate(ctx, tok, ids, n_ids, &gp, NULL)) return 1;
        putchar('\n');
        cs_context_free(ctx);
        free(ids);
        free(text);
    }
    cs_tokenizer_free(tok);
    cs_model_free(m);
    cs_gguf_free(g);
    return 0;
}
