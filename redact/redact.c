/*
 * redact.c: the detector object and the two entry points that run every
 * detector (patterns, context and dictionary rules, document identity)
 * over a text or a whole document.
 */
#include "redact_internal.h"

#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

int cs_redactor_new(cs_redactor **out)
{
    if (!out) return CS_ERR_INVALID;
    *out = NULL;
    cs_redactor *r = calloc(1, sizeof *r);
    if (!r) return CS_ERR_NOMEM;
    int rc = cs_patterns_compile(r);
    if (rc == CS_OK) rc = cs_dict_build(&r->dict);
    if (rc == CS_OK) rc = cs_context_init(r);
    if (rc == CS_OK) rc = cs_places_init(r);
    if (rc != CS_OK) { cs_redactor_free(r); return rc; }
    *out = r;
    return CS_OK;
}

void cs_redactor_free(cs_redactor *r)
{
    if (!r) return;
    cs_patterns_free(r);
    cs_dict_free(&r->dict);
    cs_kw_free(&r->kw);
    cs_places_free(r);
    free(r);
}

int cs_redact_text(const cs_redactor *r, const char *text, size_t len, const cs_identity *id, cs_span_list *out)
{
    if (!r || !out || (!text && len)) return CS_ERR_INVALID;
    out->n = 0;
    if (len == 0) return CS_OK;
    int rc = cs_patterns_find(r, text, len, out);
    if (rc == CS_OK) rc = cs_context_find(r, text, len, out);
    if (rc == CS_OK) rc = cs_identity_find(r, text, len, id, out);
    if (rc == CS_OK) rc = cs_consistency_find(r, text, len, out);
    if (rc == CS_OK) rc = cs_places_extend(r, text, len, out);
    if (rc != CS_OK) { out->n = 0; return rc; }
    cs_spans_normalize(out);
    return CS_OK;
}

void cs_redacted_doc_free(cs_redacted_doc *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n_sections; i++) {
        if (d->section_text) free(d->section_text[i]);
        if (d->section_spans) cs_span_list_free(&d->section_spans[i]);
    }
    free(d->section_text);
    free(d->section_len);
    free(d->section_spans);
    memset(d, 0, sizeof *d);
}

int cs_redact_document(const cs_redactor *r, const cs_document *doc, const cs_redact_opts *opts, cs_redacted_doc *out)
{
    if (!out) return CS_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (!r || !doc || !opts) return CS_ERR_INVALID;
    size_t n = doc->n_sections;
    out->section_text = calloc(n ? n : 1, sizeof *out->section_text);
    out->section_len = calloc(n ? n : 1, sizeof *out->section_len);
    out->section_spans = calloc(n ? n : 1, sizeof *out->section_spans);
    if (!out->section_text || !out->section_len || !out->section_spans) {
        cs_redacted_doc_free(out);
        return CS_ERR_NOMEM;
    }
    out->n_sections = n;
    cs_redact_opts o = *opts;
    if (!o.seed) { /* reproducible per document (see cs_redact.h) */
        uint64_t h = 1469598103934665603ULL;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < doc->sections[i].text_len; k++)
                h = (h ^ (unsigned char)doc->sections[i].text[k]) * 1099511628211ULL;
        o.seed = h | 1;
    }
    cs_redact_session *s = cs_redact_session_new(&o);
    int rc = s ? CS_OK : CS_ERR_NOMEM;
    for (size_t i = 0; i < n && rc == CS_OK; i++) {
        const cs_section *sec = &doc->sections[i];
        rc = cs_redact_text(r, sec->text, sec->text_len, &doc->identity, &out->section_spans[i]);
        if (rc == CS_OK)
            rc = cs_redact_apply(s, sec->text, sec->text_len, &out->section_spans[i],
                                 &out->section_text[i], &out->section_len[i]);
        for (size_t k = 0; rc == CS_OK && k < out->section_spans[i].n; k++) {
            out->counts[out->section_spans[i].items[k].category]++;
            out->n_spans++;
        }
    }
    cs_redact_session_free(s);
    if (rc != CS_OK) cs_redacted_doc_free(out);
    return rc;
}

const char *cs_phi_category_name(cs_phi_category c)
{
    static const char *const names[CS_PHI_COUNT] = {
        "NAME", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "ID", "LOCATION", "FACILITY", "URL", "IP", "DEVICE"};
    return (unsigned)c < CS_PHI_COUNT ? names[c] : "PHI";
}

const char *cs_phi_source_name(cs_phi_source s)
{
    static const char *const names[CS_SRC_COUNT] = {"pattern", "dictionary", "context", "identity"};
    return (unsigned)s < CS_SRC_COUNT ? names[s] : "unknown";
}
