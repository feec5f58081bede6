/* wasm_redact.c: redact a plain-text file with the WASM build and print
 * the spans exactly as `clinsum redact FILE --spans` does, so redact.sh can
 * compare them byte for byte; with --bench N, time N passes and print MB/s
 * (form feeds split the file into notes, redacted one call each). */
#include "cs_err.h"
#include "cs_redact.h"
#include "cs_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "--bench"))) {
        fprintf(stderr, "usage: wasm_redact FILE [--bench N]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { fprintf(stderr, "wasm_redact: %s: cannot open\n", argv[1]); return 1; }
    size_t cap = 1 << 16, n = 0, r;
    unsigned char *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) return 1;
    cs_decoded d;
    cs_redactor *red;
    int rc = cs_text_decode(buf, n, &d);
    if (rc == CS_OK) rc = cs_redactor_new(&red);
    if (rc != CS_OK) { fprintf(stderr, "clinsum: %s: %s\n", argv[1], cs_strerror(rc)); free(buf); return 1; }
    cs_span_list l = {0};
    if (argc == 4) {
        int passes = atoi(argv[3]);
        clock_t c0 = clock();
        for (int i = 0; i < passes && rc == CS_OK; i++)
            for (size_t a = 0; a < d.len && rc == CS_OK;) {
                const char *ff = memchr(d.text + a, '\f', d.len - a);
                size_t e = ff ? (size_t)(ff - d.text) : d.len;
                rc = cs_redact_text(red, d.text + a, e - a, NULL, &l);
                a = e + 1;
            }
        double s = (double)(clock() - c0) / CLOCKS_PER_SEC;
        printf("wasm redact: %.2f MB/s (%d x %zu bytes)\n", s > 0 ? passes * (double)d.len / 1e6 / s : 0, passes, d.len);
    } else {
        rc = cs_redact_text(red, d.text, d.len, NULL, &l);
        if (rc == CS_OK) {
            printf("{\"spans\":[");
            for (size_t i = 0; i < l.n; i++)
                printf("%s{\"start\":%zu,\"end\":%zu,\"category\":\"%s\",\"source\":\"%s\"}", i ? "," : "",
                       cs_decoded_src_offset(&d, l.items[i].start), cs_decoded_src_offset(&d, l.items[i].end),
                       cs_phi_category_name(l.items[i].category), cs_phi_source_name(l.items[i].source));
            printf("]}\n");
        }
    }
    cs_span_list_free(&l);
    cs_redactor_free(red);
    cs_decoded_free(&d);
    free(buf);
    if (rc != CS_OK) { fprintf(stderr, "clinsum: %s: %s\n", argv[1], cs_strerror(rc)); return 1; }
    return 0;
}
