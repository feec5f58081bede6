/* cmd_redact.c: `clinsum redact FILE [--mode mask|pseudonym|surrogate]
 * [--keep-dates] [--spans] [--seed N]`.
 *
 * --spans prints {"spans":[{"start","end","category","source"}...]} with
 * byte offsets into the file as given, for every format, sorted, with
 * overlapping ranges merged.  Plain text is one section (decoded text
 * offsets mapped back through cs_decoded_src_offset).  For C-CDA, FHIR and
 * HTML each section's spans go through the section's source map
 * (cs_section_src_range): [start, end) runs from the first file byte of the
 * identifier to its last, so an identifier written with entities or JSON
 * escapes, or split by a tag (<content>), covers those too.  Text that came
 * out of a base64 attachment (or a section without a map) cannot be mapped
 * per character: its spans cover the whole encoded value (or section).
 * Without --spans, structured documents print each section's redacted text
 * under its title. */
#include "commands.h"
#include "cs_err.h"
#include "cs_fileio.h"
#include "cs_parse.h"
#include "cs_redact.h"
#include "cs_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_span(const cs_phi_span *s, size_t start, size_t end, int first)
{
    printf("%s{", first ? "" : ",");
    printf("\"start\":%zu,\"end\":%zu,\"category\":\"%s\",\"source\":\"%s\"}", start, end,
           cs_phi_category_name(s->category), cs_phi_source_name(s->source));
}

static int redact_plain(const cs_redactor *r, const uint8_t *data, size_t len, const cs_redact_opts *o,
                        int spans, const char *file)
{
    cs_decoded d;
    int rc = cs_text_decode(data, len, &d);
    if (rc != CS_OK) { cs_cli_error(file, rc); return 1; }
    cs_span_list l = {0};
    rc = cs_redact_text(r, d.text, d.len, NULL, &l);
    if (rc == CS_OK && spans) {
        printf("{\"spans\":[");
        for (size_t i = 0; i < l.n; i++)
            print_span(&l.items[i], cs_decoded_src_offset(&d, l.items[i].start),
                       cs_decoded_src_offset(&d, l.items[i].end), i == 0);
        printf("]}\n");
    } else if (rc == CS_OK) {
        cs_redact_opts oo = *o;
        if (!oo.seed) for (size_t i = 0; i < d.len; i++) oo.seed = (oo.seed ^ (unsigned char)d.text[i]) * 1099511628211ULL;
        cs_redact_session *s = cs_redact_session_new(&oo);
        char *out = NULL;
        size_t n = 0;
        rc = s ? cs_redact_apply(s, d.text, d.len, &l, &out, &n) : CS_ERR_NOMEM;
        if (rc == CS_OK) fwrite(out, 1, n, stdout);
        free(out);
        cs_redact_session_free(s);
    }
    cs_span_list_free(&l);
    cs_decoded_free(&d);
    if (rc != CS_OK) { cs_cli_error(file, rc); return 1; }
    return 0;
}

typedef struct {
    size_t start, end;
    const cs_phi_span *span;
} file_span;

static int by_file_start(const void *a, const void *b)
{
    const file_span *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

/* Spans of every section as file byte ranges, sorted and merged. */
static int print_doc_spans(const cs_document *doc, const cs_redacted_doc *rd)
{
    file_span *fs = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < rd->n_sections; i++) cap += rd->section_spans[i].n;
    if (cap && !(fs = malloc(cap * sizeof *fs))) return CS_ERR_NOMEM;
    for (size_t i = 0; i < rd->n_sections; i++)
        for (size_t k = 0; k < rd->section_spans[i].n; k++) {
            const cs_phi_span *p = &rd->section_spans[i].items[k];
            file_span f = {0, 0, p};
            if (cs_section_src_range(doc, i, p->start, p->end, &f.start, &f.end) >= 0)
                fs[n++] = f;
        }
    if (n) qsort(fs, n, sizeof *fs, by_file_start);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && fs[i].start < fs[w - 1].end) { /* two spans, one encoded range */
            if (fs[i].end > fs[w - 1].end) fs[w - 1].end = fs[i].end;
            continue;
        }
        fs[w++] = fs[i];
    }
    printf("{\"spans\":[");
    for (size_t i = 0; i < w; i++) print_span(fs[i].span, fs[i].start, fs[i].end, i == 0);
    printf("]}\n");
    free(fs);
    return CS_OK;
}

int cmd_redact(int argc, char **argv)
{
    const char *file = NULL;
    cs_redact_opts o = {CS_REDACT_MASK, 0, 0};
    int spans = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--spans")) spans = 1;
        else if (!strcmp(argv[i], "--keep-dates")) o.keep_dates = 1;
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) o.seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--mode") && i + 1 < argc) {
            const char *m = argv[++i];
            if (!strcmp(m, "mask")) o.mode = CS_REDACT_MASK;
            else if (!strcmp(m, "pseudonym")) o.mode = CS_REDACT_PSEUDONYM;
            else if (!strcmp(m, "surrogate")) o.mode = CS_REDACT_SURROGATE;
            else { fprintf(stderr, "clinsum redact: unknown mode '%s'\n", m); return 2; }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "clinsum redact: unknown option '%s'\n", argv[i]);
            return 2;
        } else file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "usage: clinsum redact FILE [--mode mask|pseudonym|surrogate] "
                        "[--keep-dates] [--spans]\n"
                        "  --spans  JSON byte ranges [start, end) into FILE as given; an identifier\n"
                        "           split by markup or escapes covers them; text from a base64\n"
                        "           attachment maps to the whole encoded value\n");
        return 2;
    }
    uint8_t *data;
    size_t len;
    int rc = cs_read_file(file, CS_PARSE_DEFAULT_MAX_BYTES, &data, &len);
    if (rc != CS_OK) { cs_cli_error(file, rc); return 1; }
    cs_parse_init();
    cs_document *doc;
    rc = cs_parse(data, len, NULL, &doc);
    if (rc != CS_OK) { free(data); cs_cli_error(file, rc); return 1; }
    cs_redactor *r;
    rc = cs_redactor_new(&r);
    if (rc != CS_OK) { free(data); cs_document_free(doc); cs_cli_error(file, rc); return 1; }
    int status = 0;
    if (doc->format == CS_FMT_TEXT) {
        status = redact_plain(r, data, len, &o, spans, file);
    } else {
        cs_redacted_doc rd;
        rc = cs_redact_document(r, doc, &o, &rd);
        if (rc != CS_OK) { cs_cli_error(file, rc); status = 1; }
        else if (spans) {
            rc = print_doc_spans(doc, &rd);
            if (rc != CS_OK) { cs_cli_error(file, rc); status = 1; }
            cs_redacted_doc_free(&rd);
        } else {
            for (size_t i = 0; i < rd.n_sections; i++) {
                /* Section titles are document text too: redact them. */
                const char *title = doc->sections[i].title;
                cs_span_list tl = {0};
                char *tt = NULL;
                cs_redact_session *ts = cs_redact_session_new(&o);
                if (ts && cs_redact_text(r, title, strlen(title), &doc->identity, &tl) == CS_OK &&
                    cs_redact_apply(ts, title, strlen(title), &tl, &tt, NULL) == CS_OK && *tt)
                    printf("## %s\n", tt);
                free(tt);
                cs_span_list_free(&tl);
                cs_redact_session_free(ts);
                fwrite(rd.section_text[i], 1, rd.section_len[i], stdout);
                printf("\n\n");
            }
            cs_redacted_doc_free(&rd);
        }
    }
    cs_redactor_free(r);
    cs_document_free(doc);
    free(data);
    return status;
}
