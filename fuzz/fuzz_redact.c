/*
 * fuzz_redact.c: libFuzzer entry for the redactor.  The input is split at
 * the first NUL into a header identity (one name) and text; every span must
 * lie inside the text, sorted and disjoint, and every output mode must
 * rewrite without error.  Any crash, leak or sanitizer report is a bug.
 */
#include "cs_err.h"
#include "cs_redact.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
    static cs_redactor *r;
    if (!r && cs_redactor_new(&r) != CS_OK) abort();
    const unsigned char *nul = memchr(data, 0, n < 64 ? n : 64);
    cs_identity id = {0};
    const char *text = (const char *)data;
    size_t len = n;
    if (nul) {
        char name[64];
        memcpy(name, data, (size_t)(nul - data));
        name[nul - data] = 0;
        cs_strlist_add(&id.names, name);
        cs_strlist_add(&id.birth_dates, name);
        cs_strlist_add(&id.telecoms, name);
        text = (const char *)nul + 1;
        len = n - (size_t)(nul - data) - 1;
    }
    cs_span_list l = {0};
    int rc = cs_redact_text(r, text, len, &id, &l);
    if (rc == CS_OK) {
        for (size_t i = 0; i < l.n; i++) {
            if (l.items[i].end > len || l.items[i].start >= l.items[i].end) abort();
            if (i && l.items[i].start < l.items[i - 1].end) abort();
        }
        for (int mode = CS_REDACT_MASK; mode <= CS_REDACT_SURROGATE; mode++) {
            cs_redact_opts o = {(cs_redact_mode)mode, mode == 1, 7};
            cs_redact_session *s = cs_redact_session_new(&o);
            char *out = NULL;
            if (!s || cs_redact_apply(s, text, len, &l, &out, NULL) != CS_OK) abort();
            free(out);
            cs_redact_session_free(s);
        }
    } else if (rc != CS_ERR_LIMIT) {
        abort();
    }
    cs_span_list_free(&l);
    cs_strlist_free(&id.names);
    cs_strlist_free(&id.birth_dates);
    cs_strlist_free(&id.telecoms);
    return 0;
}
