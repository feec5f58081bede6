/* audit_pipeline.c: the parse (and, when the redact module is built,
 * redaction) steps of the pipeline with their audit events, for the PHI-free
 * test when `clinsum summarize --audit` is not available:
 *   audit_pipeline LOG FILE...   exit 0 when every file went through. */
#include "cs_audit.h"
#include "cs_err.h"
#include "cs_parse.h"
#ifdef CS_HAVE_REDACT
#include "cs_redact.h"
#endif

#include <stdio.h>
#include <stdlib.h>

static int read_all(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return CS_ERR_IO;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *data = malloc((size_t)n + 1);
    *len = *data ? fread(*data, 1, (size_t)n, f) : 0;
    fclose(f);
    return *data && *len == (size_t)n ? CS_OK : CS_ERR_IO;
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: audit_pipeline LOG FILE...\n"); return 2; }
    cs_audit *a;
    cs_audit_options o = {.no_fsync = 1};
    int rc = cs_audit_open(argv[1], &o, &a);
    if (rc != CS_OK) { fprintf(stderr, "audit_pipeline: %s: %s\n", argv[1], cs_strerror(rc)); return 1; }
    cs_parse_init();
#ifdef CS_HAVE_REDACT
    cs_redactor *red = NULL;
    if ((rc = cs_redactor_new(&red)) != CS_OK) return 1;
#endif
    int failed = 0;
    for (int i = 2; i < argc; i++) {
        char *data = NULL;
        size_t len = 0;
        cs_document *doc = NULL;
        rc = read_all(argv[i], &data, &len);
        if (rc == CS_OK) rc = cs_parse((const uint8_t *)data, len, NULL, &doc);
        if (rc == CS_OK) rc = cs_audit_document_opened(a, data, len, cs_format_name(doc->format));
        if (rc == CS_OK) rc = cs_audit_parsed(a, doc->n_sections, cs_format_name(doc->format));
#ifdef CS_HAVE_REDACT
        cs_redact_opts ro = {CS_REDACT_MASK, 0, 0};
        cs_redacted_doc rd;
        if (rc == CS_OK && (rc = cs_redact_document(red, doc, &ro, &rd)) == CS_OK) {
            cs_audit_count c[CS_PHI_COUNT];
            for (int k = 0; k < CS_PHI_COUNT; k++)
                c[k] = (cs_audit_count){cs_phi_category_name((cs_phi_category)k), (int64_t)rd.counts[k]};
            rc = cs_audit_redacted(a, "mask", c, CS_PHI_COUNT);
            cs_redacted_doc_free(&rd);
        }
#endif
        if (rc != CS_OK) { fprintf(stderr, "audit_pipeline: %s: %s\n", argv[i], cs_strerror(rc)); failed++; }
        cs_document_free(doc);
        free(data);
    }
#ifdef CS_HAVE_REDACT
    cs_redactor_free(red);
#endif
    rc = cs_audit_close(a);
    return failed || rc != CS_OK ? 1 : 0;
}
