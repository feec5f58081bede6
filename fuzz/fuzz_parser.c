/*
 * fuzz_parser.c: libFuzzer entry for one parser, chosen at compile time by
 * CS_FUZZ_FN (cs_parse_text, cs_parse_html, cs_parse_ccda, cs_parse_fhir or
 * cs_parse).  Any crash, leak or sanitizer report is a bug, and so is a
 * section source map that breaks its invariants (text covered from 0 to
 * text_len, source ranges monotonic and inside the parsed text) or a
 * cs_section_src_range() answer outside the input.
 */
#include "cs_document_json.h"
#include "cs_err.h"
#include "cs_parse.h"

#include <stdlib.h>

#ifndef CS_FUZZ_FN
#error define CS_FUZZ_FN
#endif

#define CALL_cs_parse(d, n, out) cs_parse(d, n, NULL, out)
#define CALL_cs_parse_text cs_parse_text
#define CALL_cs_parse_html cs_parse_html
#define CALL_cs_parse_ccda cs_parse_ccda
#define CALL_cs_parse_fhir cs_parse_fhir
#define CALL_(fn) CALL_##fn
#define CALL(fn) CALL_(fn)

/* Section maps must hold their invariants; every answer lies in the input. */
static void check_maps(const cs_document *doc, size_t n)
{
    size_t parse_len = doc->src_xmap ? doc->src_xmap_len : n - doc->src_shift;
    if (doc->src_shift > n) abort();
    for (size_t i = 0; i < doc->n_sections; i++) {
        const cs_section *s = &doc->sections[i];
        if (s->map.n && !cs_srcmap_valid(&s->map, s->text_len, parse_len)) abort();
        size_t len = s->text_len, a = len / 3, b = len - len / 4, st, en;
        const size_t probe[][2] = {{0, len}, {a, b}, {a, a}, {len, len}, {0, len ? 1 : 0}};
        for (size_t k = 0; k < sizeof probe / sizeof *probe; k++) {
            if (cs_section_src_range(doc, i, probe[k][0], probe[k][1], &st, &en) < 0) abort();
            if (st > en || en > n) abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
    static int init;
    if (!init) { cs_parse_init(); init = 1; }
    cs_document *doc = NULL;
    int rc = CALL(CS_FUZZ_FN)(data, n, &doc);
    if (rc == CS_OK) {
        /* exercise the model: serialise it, which touches every string */
        char *j = cs_document_to_json(doc, 0);
        free(j);
        check_maps(doc, n);
        cs_document_free(doc);
    } else if (doc) {
        abort(); /* a failed parse must not hand out a document */
    }
    return 0;
}
