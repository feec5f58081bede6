/* cmd_tokenize.c: `clinsum tokenize --model M.gguf FILE`: the file's token
 * ids (no BOS added, special tokens parsed) on one line, space-separated. */
#include "commands.h"
#include "cs_err.h"
#include "cs_fileio.h"
#include "gguf.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKENIZE_MAX_BYTES ((size_t)64 << 20)

int cmd_tokenize(int argc, char **argv)
{
    const char *model = NULL, *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) model = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "clinsum tokenize: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!file) file = argv[i];
        else { fprintf(stderr, "clinsum tokenize: more than one FILE\n"); return 2; }
    }
    if (!model || !file) {
        fprintf(stderr, "usage: clinsum tokenize --model M.gguf FILE\n");
        return 2;
    }
    cs_gguf *g;
    const char *why = NULL;
    int rc = cs_gguf_open_file(model, &g, &why);
    if (rc != CS_OK) {
        fprintf(stderr, "clinsum: %s: %s\n", model, why ? why : cs_strerror(rc));
        return 1;
    }
    cs_tokenizer *tok;
    rc = cs_tokenizer_load(g, &tok, &why);
    cs_gguf_free(g);
    if (rc != CS_OK) {
        fprintf(stderr, "clinsum: %s: %s\n", model, why ? why : cs_strerror(rc));
        return 1;
    }
    uint8_t *data;
    size_t len;
    rc = cs_read_file(file, TOKENIZE_MAX_BYTES, &data, &len);
    if (rc != CS_OK) { cs_tokenizer_free(tok); cs_cli_error(file, rc); return 1; }
    int32_t *ids;
    size_t n;
    rc = cs_tokenize(tok, (const char *)data, len, CS_TOK_PARSE_SPECIAL, &ids, &n);
    free(data);
    cs_tokenizer_free(tok);
    if (rc != CS_OK) { cs_cli_error(file, rc); return 1; }
    for (size_t i = 0; i < n; i++) printf(i ? " %d" : "%d", ids[i]);
    putchar('\n');
    free(ids);
    return fflush(stdout) == 0 ? 0 : 1;
}
