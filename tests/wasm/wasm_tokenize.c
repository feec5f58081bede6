/* wasm_tokenize.c: the tokenizer under WASM.  `wasm_tokenize MODEL FILE...`
 * loads the model through the streaming loader as a browser would: 64 KiB
 * chunks fed until the header is parsed, then read straight into the
 * stream's buffer (tail/commit, no second copy), and prints, per file, its token ids on one line
 * (no BOS, special tokens parsed), so inference.sh can compare them with
 * the native `clinsum tokenize`. */
#include "cs_err.h"
#include "gguf.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>

static cs_gguf *load_streamed(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "wasm_tokenize: %s: cannot open\n", path); return NULL; }
    cs_gguf_stream *s = cs_gguf_stream_new(0);
    static unsigned char chunk[1 << 16];
    size_t n;
    const char *why = "out of memory";
    int rc = s ? CS_OK : CS_ERR_NOMEM;
    while (rc == CS_OK && !cs_gguf_stream_gguf(s) && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = cs_gguf_stream_feed(s, chunk, n, &why);
    size_t room;
    void *tail;
    while (rc == CS_OK && (tail = cs_gguf_stream_tail(s, &room)) != NULL &&
           (n = fread(tail, 1, room < sizeof chunk ? room : sizeof chunk, f)) > 0)
        rc = cs_gguf_stream_commit(s, n, &why);
    fclose(f);
    cs_gguf *g = NULL;
    if (rc == CS_OK) rc = cs_gguf_stream_finish(s, &g, &why);
    cs_gguf_stream_free(s);
    if (rc != CS_OK) fprintf(stderr, "wasm_tokenize: %s: %s\n", path, why);
    return g;
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: wasm_tokenize MODEL FILE...\n"); return 2; }
    cs_gguf *g = load_streamed(argv[1]);
    if (!g) return 1;
    cs_tokenizer *t;
    const char *why = NULL;
    int rc = cs_tokenizer_load(g, &t, &why);
    cs_gguf_free(g);
    if (rc != CS_OK) { fprintf(stderr, "wasm_tokenize: %s: %s\n", argv[1], why); return 1; }
    for (int a = 2; a < argc; a++) {
        FILE *f = fopen(argv[a], "rb");
        if (!f) { fprintf(stderr, "wasm_tokenize: %s: cannot open\n", argv[a]); rc = 1; continue; }
        cs_buf text = {0};
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) cs_buf_append(&text, buf, n);
        fclose(f);
        int32_t *ids;
        size_t n_ids;
        if (cs_tokenize(t, text.data ? text.data : "", text.len, CS_TOK_PARSE_SPECIAL, &ids, &n_ids) != CS_OK) {
            fprintf(stderr, "wasm_tokenize: %s: tokenize failed\n", argv[a]);
            rc = 1;
        } else {
            for (size_t i = 0; i < n_ids; i++) printf(i ? " %d" : "%d", ids[i]);
            putchar('\n');
            free(ids);
        }
        cs_buf_free(&text);
    }
    cs_tokenizer_free(t);
    return rc;
}
