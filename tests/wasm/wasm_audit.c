/* wasm_audit.c: the audit log compiled to WASM, run under node.
 *   wasm_audit write LOG KEYDIR N   append N events (checkpoint every 8), close
 *   wasm_audit verify LOG [PUB]     print the report as JSON; exit 0 if intact */
#include "cs_audit.h"
#include "cs_audit_verify.h"
#include "cs_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc >= 5 && !strcmp(argv[1], "write")) {
        cs_audit_options o = {.actor = "wasm", .key_dir = argv[3], .checkpoint_every = 8};
        cs_audit *a;
        int rc = cs_audit_open(argv[2], &o, &a);
        for (int i = 0; rc == CS_OK && i < atoi(argv[4]); i++) rc = cs_audit_document_opened(a, &i, sizeof i, "text");
        int rc2 = cs_audit_close(a);
        if (rc == CS_OK) rc = rc2;
        if (rc != CS_OK) fprintf(stderr, "wasm_audit: %s\n", cs_strerror(rc));
        return rc == CS_OK ? 0 : 1;
    }
    if (argc >= 3 && !strcmp(argv[1], "verify")) {
        cs_audit_report r;
        int rc = cs_audit_verify_file(argv[2], argc > 3 ? argv[3] : NULL, &r);
        if (rc != CS_OK && rc != CS_ERR_TAMPERED) { fprintf(stderr, "wasm_audit: %s\n", cs_strerror(rc)); return 2; }
        char *s = cs_audit_report_json(&r);
        puts(s ? s : "{}");
        free(s);
        return rc == CS_OK ? 0 : 1;
    }
    fprintf(stderr, "usage: wasm_audit write LOG KEYDIR N | verify LOG [PUB]\n");
    return 2;
}
