/*
 * redact_internal.h (internal): what the detector files share - the
 * redactor object, span-list helpers, and the entry points of each
 * detector (patterns, context/dictionary rules, document identity).
 */
#ifndef REDACT_INTERNAL_H
#define REDACT_INTERNAL_H

#include "cs_redact.h"
#include "redact_dict.h"

#include <pcre2.h>
#include <string.h>

typedef struct {
    pcre2_code *code;
    cs_phi_category category;
    int group;        /* capture group that is the identifier (0 = whole) */
    int kind;         /* pattern-specific post-check, see redact_patterns.c */
    int need;         /* characters the text must contain (N_* there) */
} cs_pattern;

/* Keyword-list bits of the context rules' lists that the person-name rules
 * (redact_names.c) read from a token's keyword mask; set by
 * cs_context_init(). */
typedef struct {
    uint32_t function, titles_clin, titles_other, credentials, weak_credentials, roles_before,
        verbs_role, verbs_after, relatives, owners, introducers, name_stops, eponym_next, and_words, reporting, groups,
        greetings, contacts, roles, cues;
} cs_kw_bits;

/* Trigger words of anchored patterns: word -> bit mask of pattern indexes. */
typedef struct {
    char (*words)[16];
    uint64_t *masks;
    size_t mask;
} cs_trig;

struct cs_redactor {
    cs_pattern *patterns;
    size_t n_patterns;
    pcre2_match_context *mctx; /* limits; read-only once built */
    cs_trig trig;
    uint64_t triggered;        /* patterns run only at trigger words */
    cs_kw_bits kwb;            /* where the name rules' lists sit in kw */
    uint64_t at_email;         /* patterns run at e-mail local parts */
    cs_dict dict;
    cs_kw kw;                  /* context keyword lists */
    cs_kw place_kw;            /* redact_places.c keyword lists */
    uint32_t place_pre[26 * 27]; /* their word lengths by first two letters */
};

/* Append a span (no sorting); returns CS_OK or CS_ERR_NOMEM. */
int cs_spans_add(cs_span_list *l, size_t start, size_t end, cs_phi_category c,
                 cs_phi_source src, cs_phi_role role);
/* Sort by start and merge overlaps (the longer span's category wins). */
void cs_spans_normalize(cs_span_list *l);

int cs_patterns_compile(cs_redactor *r);
void cs_patterns_free(cs_redactor *r);
int cs_patterns_find(const cs_redactor *r, const char *text, size_t len, cs_span_list *out);

/* Names, facilities and places from titles, roles, labels and dictionaries;
 * cs_context_init() builds the keyword table once per redactor. */
int cs_context_init(cs_redactor *r);
int cs_context_find(const cs_redactor *r, const char *text, size_t len, cs_span_list *out);

/* 1 when w[0..n) is a function word, title or other word a context rule
 * never takes as a name (redact_context.c's lists). */
int cs_context_is_plain_word(const cs_redactor *r, const char *w, size_t n);

/* Every other occurrence of the words of the name/place spans already in
 * out (redact_consistency.c). */
int cs_consistency_find(const cs_redactor *r, const char *text, size_t len, cs_span_list *out);

/* Places next to states, universities, regions, medical-center acronyms;
 * and, once every detector ran, Title Case place/facility spans widened
 * over the state, facility word or town that follows (redact_places.c). */
int cs_places_init(cs_redactor *r);
void cs_places_free(cs_redactor *r);
int cs_places_word(const cs_redactor *r, const char *text, size_t len, size_t i, size_t j, cs_span_list *out);
int cs_places_extend(const cs_redactor *r, const char *text, size_t len, cs_span_list *out);

/* The document's header identity searched everywhere. */
int cs_identity_find(const cs_redactor *r, const char *text, size_t len,
                     const cs_identity *id, cs_span_list *out);

/* Date parsing shared by identity matching and surrogates: fills y (0 when
 * absent), m, d from a written date; returns 1 on success. */
int cs_date_parse(const char *s, size_t n, int *y, int *m, int *d);

/* s[0..n) equals the lower-case ASCII word w, ignoring the case of s.
 * Shared by the pattern post-checks and the context rules (hot: inlined). */
static inline int lower_eq(const char *s, size_t n, const char *w)
{
    if (n == 0 || (s[0] | 32) != w[0]) return 0; /* cheap reject before strlen */
    size_t m = strlen(w);
    if (n != m) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c += 32;
        if (c != w[i]) return 0;
    }
    return 1;
}

#endif
