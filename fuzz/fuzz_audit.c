/* fuzz_audit.c: the audit-log verifier and the WASM import reader on
 * arbitrary bytes (both read files a user or an attacker hands over), and
 * the JS glue reader on the same bytes.  The
 * first byte picks the target; for the verifier, bytes after the first
 * 0x1e split the input into log and seal. */
#include "cs_audit_verify.h"
#include "cs_wasm_imports.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 1) return 0;
    uint8_t sel = data[0];
    data++, len--;
    if (sel & 1) {
        cs_wasm_import *v;
        size_t n;
        char *js = malloc(len ? len : 1);
        memcpy(js, data, len);
        cs_wasm_glue_asm_network_tokens(js, len);
        if (cs_wasm_imports_parse(data, len, &v, &n) == 0) {
            cs_wasm_imports_resolve_glue(js, len, v, n); /* the same bytes as glue */
            cs_wasm_imports_free(v, n);
        }
        free(js);
        return 0;
    }
    const uint8_t *sep = memchr(data, 0x1e, len);
    size_t log_len = sep ? (size_t)(sep - data) : len;
    /* Copies, so reads past either part are caught. */
    char *log = malloc(log_len ? log_len : 1), *seal = NULL;
    memcpy(log, data, log_len);
    size_t seal_len = 0;
    if (sep) {
        seal_len = len - log_len - 1;
        seal = malloc(seal_len ? seal_len : 1);
        memcpy(seal, sep + 1, seal_len);
    }
    cs_audit_report r;
    cs_audit_verify(log, log_len, seal, seal_len, (sel & 2) ? (const uint8_t *)"0123456789abcdef0123456789abcdef" : NULL, &r);
    free(log);
    free(seal);
    return 0;
}
