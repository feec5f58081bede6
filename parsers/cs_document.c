/* cs_document.c: construction and destruction of the document model. */
#include "cs_document.h"
#include "cs_err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

cs_document *cs_document_new(cs_format format)
{
    cs_document *d = calloc(1, sizeof *d);
    if (d) {
        d->format = format;
        d->encoding = "utf-8";
    }
    return d;
}

void cs_strlist_free(cs_strlist *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void cs_document_free(cs_document *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n_sections; i++) {
        cs_section *s = &d->sections[i];
        free(s->title); free(s->code); free(s->code_system); free(s->text);
        cs_srcmap_free(&s->map);
    }
    free(d->sections);
    free(d->src_xmap);
    free(d->kind); free(d->title); free(d->date); free(d->author); free(d->facility);
    cs_strlist_free(&d->identity.names);
    cs_strlist_free(&d->identity.identifiers);
    cs_strlist_free(&d->identity.birth_dates);
    cs_strlist_free(&d->identity.addresses);
    cs_strlist_free(&d->identity.telecoms);
    free(d);
}

int cs_document_set(char **field, const char *s)
{
    char *p = NULL;
    if (s && !(p = dup_n(s, strlen(s)))) return CS_ERR_NOMEM;
    free(*field);
    *field = p;
    return CS_OK;
}

cs_section *cs_document_add_section(cs_document *d, const char *title,
                                    const char *code, const char *code_system,
                                    const char *text, size_t text_len,
                                    size_t start, size_t end)
{
    if (d->n_sections == d->cap_sections) {
        size_t nc = d->cap_sections ? d->cap_sections * 2 : 8;
        cs_section *p = realloc(d->sections, nc * sizeof *p);
        if (!p) return NULL;
        d->sections = p;
        d->cap_sections = nc;
    }
    cs_section *s = &d->sections[d->n_sections];
    memset(s, 0, sizeof *s);
    s->title = dup_n(title ? title : "", title ? strlen(title) : 0);
    s->code = code && *code ? dup_n(code, strlen(code)) : NULL;
    s->code_system = code_system && *code_system ? dup_n(code_system, strlen(code_system)) : NULL;
    s->text = dup_n(text ? text : "", text ? text_len : 0);
    if (!s->title || !s->text || (code && *code && !s->code) ||
        (code_system && *code_system && !s->code_system)) {
        free(s->title); free(s->code); free(s->code_system); free(s->text);
        return NULL;
    }
    s->text_len = text ? text_len : 0;
    s->start = start;
    s->end = end;
    d->n_sections++;
    return s;
}

int cs_strlist_add(cs_strlist *l, const char *s)
{
    if (!s) return CS_OK;
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (!n) return CS_OK;
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->items[i]) == n && strncasecmp(l->items[i], s, n) == 0)
            return CS_OK;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4;
        char **p = realloc(l->items, nc * sizeof *p);
        if (!p) return CS_ERR_NOMEM;
        l->items = p;
        l->cap = nc;
    }
    if (!(l->items[l->n] = dup_n(s, n))) return CS_ERR_NOMEM;
    l->n++;
    return CS_OK;
}

int cs_name_forms_add(cs_strlist *names, const char *const *given, size_t n_given,
                      const char *family, char **full_out)
{
    const char *first = NULL;
    size_t cap = 1;
    for (size_t i = 0; i < n_given; i++) cap += given[i] ? strlen(given[i]) + 1 : 0;
    if (family) cap += strlen(family) + 1;
    char *full = malloc(cap), *pair = malloc(cap + 2);
    if (!full || !pair) { free(full); free(pair); return CS_ERR_NOMEM; }
    full[0] = '\0';
    int rc = CS_OK;
    for (size_t i = 0; i < n_given; i++) {
        if (!given[i] || !*given[i]) continue;
        if (!first) first = given[i];
        if (*full) strcat(full, " ");
        strcat(full, given[i]);
        if (names && rc == CS_OK) rc = cs_strlist_add(names, given[i]);
    }
    if (family && *family) {
        if (*full) strcat(full, " ");
        strcat(full, family);
        if (names && rc == CS_OK) rc = cs_strlist_add(names, family);
        if (names && first && rc == CS_OK) {
            snprintf(pair, cap + 2, "%s %s", first, family);
            rc = cs_strlist_add(names, pair);
            snprintf(pair, cap + 2, "%s, %s", family, first);
            if (rc == CS_OK) rc = cs_strlist_add(names, pair);
        }
    }
    if (names && rc == CS_OK) rc = cs_strlist_add(names, full);
    free(pair);
    if (rc == CS_OK && full_out && !*full_out && *full) {
        *full_out = full;
        return CS_OK;
    }
    free(full);
    return rc;
}

int cs_telecom_add(cs_strlist *telecoms, const char *v)
{
    static const char *const schemes[] = {"tel:", "mailto:", "fax:", "sms:", NULL};
    if (!v) return CS_OK;
    for (const char *const *s = schemes; *s; s++)
        if (strncasecmp(v, *s, strlen(*s)) == 0) { v += strlen(*s); break; }
    return cs_strlist_add(telecoms, v);
}

void cs_document_take_source(cs_document *d, uint32_t *xmap, size_t len, size_t shift)
{
    free(d->src_xmap);
    d->src_xmap = xmap;
    d->src_xmap_len = xmap ? len : 0;
    d->src_shift = shift;
}

/* File offset of parse offset p; `end` rounds a position inside a
 * transcoded character up to the character's end. */
static size_t file_offset(const cs_document *d, size_t p, int end)
{
    if (!d->src_xmap) return p + d->src_shift;
    size_t n = d->src_xmap_len;
    if (p > n) p = n;
    if (end && p > 0)
        while (p < n && d->src_xmap[p] == d->src_xmap[p - 1]) p++;
    return d->src_xmap[p];
}

int cs_section_src_range(const cs_document *d, size_t i, size_t a, size_t b,
                         size_t *start, size_t *end)
{
    if (!d || i >= d->n_sections || a > b || b > d->sections[i].text_len) return -1;
    const cs_section *s = &d->sections[i];
    size_t ps, pe;
    if (!cs_srcmap_range(&s->map, a, b, &ps, &pe)) {
        *start = s->start;
        *end = s->end;
        return 0;
    }
    *start = file_offset(d, ps, 0);
    *end = file_offset(d, pe, pe > ps);
    if (*end < *start) *end = *start;
    return 1;
}

size_t cs_document_text_len(const cs_document *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_sections; i++) n += d->sections[i].text_len;
    return n;
}

const char *cs_format_name(cs_format f)
{
    switch (f) {
    case CS_FMT_TEXT: return "text";
    case CS_FMT_HTML: return "html";
    case CS_FMT_CCDA: return "ccda";
    case CS_FMT_FHIR_BUNDLE: return "fhir-bundle";
    case CS_FMT_FHIR_DOCREF: return "fhir-documentreference";
    case CS_FMT_UNKNOWN: break;
    }
    return "unknown";
}

static const struct { const char *code, *name; } loinc_sections[] = {
    {"10154-3", "Chief complaint"},
    {"10164-2", "History of present illness"},
    {"11348-0", "Past medical history"},
    {"10160-0", "Medications"},
    {"10183-2", "Discharge medications"},
    {"48765-2", "Allergies"},
    {"51847-2", "Assessment and plan"},
    {"51848-0", "Assessment"},
    {"18776-5", "Plan of care"},
    {"8648-8", "Hospital course"},
    {"11450-4", "Problem list"},
    {"11535-2", "Hospital discharge diagnosis"},
    {"46241-6", "Admission diagnosis"},
    {"47519-4", "Procedures"},
    {"30954-2", "Results"},
    {"8716-3", "Vital signs"},
    {"11369-6", "Immunizations"},
    {"29762-2", "Social history"},
    {"10157-6", "Family history"},
    {"46240-8", "Encounters"},
    {"10187-3", "Review of systems"},
    {"29545-1", "Physical examination"},
    {"42348-3", "Advance directives"},
    {"47420-5", "Functional status"},
    {"46264-8", "Medical equipment"},
    {"48768-6", "Payers"},
    {"61146-7", "Goals"},
    {"42349-1", "Reason for referral"},
    {"29299-5", "Reason for visit"},
    {"46239-0", "Reason for visit and chief complaint"},
    {"8653-8", "Hospital discharge instructions"},
    {"10190-7", "Mental status"},
    {"61144-2", "Diet and nutrition"},
    {"69730-0", "Instructions"},
    {"11493-4", "Hospital consultations"},
    {"10184-0", "Hospital discharge physical"},
    {"11537-8", "Surgical drains"},
    {"8724-7", "Surgical operation note description"},
    {"10223-6", "Operative note surgical procedure"},
    {"59776-5", "Procedure findings"},
    {"75310-3", "Health concerns"},
    {"85847-2", "Patient care team"},
};

const char *cs_loinc_section_name(const char *code)
{
    if (!code) return NULL;
    for (size_t i = 0; i < sizeof loinc_sections / sizeof *loinc_sections; i++)
        if (strcmp(loinc_sections[i].code, code) == 0) return loinc_sections[i].name;
    return NULL;
}
