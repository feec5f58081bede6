/*
 * fuzz_parser.c: libFuzzer entry for one parser, chosen at compile time by
 * CS_FUZZ_FN (cs_parse_text, cs_parse_html, cs_parse_ccda, cs_parse_fhir or
 * cs_parse).  Any crash, leak or sanitizer report is a bug.
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
        cs_document_free(doc);
    } else if (doc) {
        abort(); /* a failed parse must not hand out a document */
    }
    return 0;
}
