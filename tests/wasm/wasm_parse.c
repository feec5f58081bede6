/* wasm_parse.c: parse a file with the WASM build and print the document
 * model as JSON, so run.sh can compare it byte for byte with the native CLI. */
#include "cs_document_json.h"
#include "cs_err.h"
#include "cs_parse.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: wasm_parse FILE\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { fprintf(stderr, "wasm_parse: %s: cannot open\n", argv[1]); return 1; }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) return 1;
    cs_parse_init();
    cs_document *doc;
    int rc = cs_parse(buf, n, NULL, &doc);
    free(buf);
    if (rc != CS_OK) { fprintf(stderr, "clinsum: %s: %s\n", argv[1], cs_strerror(rc)); return 1; }
    char *s = cs_document_to_json(doc, 0);
    puts(s);
    free(s);
    cs_document_free(doc);
    return 0;
}
