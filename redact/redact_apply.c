/*
 * redact_apply.c: rewriting text once spans are known - typed masks,
 * consistent pseudonyms, realistic surrogates - and the per-document
 * session that keeps them consistent across sections.
 *
 * Surrogates: names come from the most frequent Census names (a real name
 * maps to the same fake one within a session); dates move by one offset
 * per session so intervals survive; numbers keep their shape with other
 * digits; ZIP codes keep their first three digits (HIPAA's 3-digit rule)
 * except the sparsely populated prefixes, which become 000.
 */
#include "redact_internal.h"
#include "redact_dates.h"

#include "cs_buf.h"
#include "cs_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    cs_phi_category cat;
    cs_phi_role role;
    char *key;     /* lower-cased original */
    int number;    /* pseudonym number within (category, role) */
} entry;

struct cs_redact_session {
    cs_redact_opts opts;
    int shift;           /* 0 until fixed */
    entry *e;
    size_t n, cap;
    int counters[CS_PHI_COUNT][4];
};

cs_redact_session *cs_redact_session_new(const cs_redact_opts *opts)
{
    if (!opts) return NULL;
    cs_redact_session *s = calloc(1, sizeof *s);
    if (s) s->opts = *opts;
    return s;
}

void cs_redact_session_free(cs_redact_session *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) free(s->e[i].key);
    free(s->e);
    free(s);
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static uint64_t hash_key(uint64_t seed, const char *s, size_t n)
{
    uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') c += 32;
        h = mix(h ^ c);
    }
    return h;
}

int cs_redact_session_date_shift(cs_redact_session *s)
{
    if (!s->shift) {
        uint64_t h = mix(s->opts.seed ^ 0x5eed5eedULL);
        s->shift = (int)(h % 730) - 365;   /* [-365, 364] */
        if (s->shift >= 0) s->shift++;      /* never 0 */
    }
    return s->shift;
}

/* The pseudonym number of (cat, role, key), assigning the next one. */
static int number_of(cs_redact_session *s, cs_phi_category cat, cs_phi_role role, const char *k, size_t n, int *err)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->e[i].cat == cat && s->e[i].role == role && strlen(s->e[i].key) == n && !strncasecmp(s->e[i].key, k, n))
            return s->e[i].number;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        entry *p = realloc(s->e, cap * sizeof *p);
        if (!p) { *err = CS_ERR_NOMEM; return 0; }
        s->e = p;
        s->cap = cap;
    }
    char *key = malloc(n + 1);
    if (!key) { *err = CS_ERR_NOMEM; return 0; }
    for (size_t i = 0; i < n; i++) key[i] = (k[i] >= 'A' && k[i] <= 'Z') ? k[i] + 32 : k[i];
    key[n] = 0;
    int num = ++s->counters[cat][role];
    s->e[s->n++] = (entry){cat, role, key, num};
    return num;
}

static int put_cased(cs_buf *b, const char *w, int upper, int lower)
{
    for (const char *p = w; *p; p++) {
        char c = *p;
        if (upper && c >= 'a' && c <= 'z') c -= 32;
        if (lower && c >= 'A' && c <= 'Z') c += 32;
        if (cs_buf_putc(b, c) != CS_OK) return CS_ERR_NOMEM;
    }
    return CS_OK;
}

static int is_letter(char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

/* Surrogate for a name: each word replaced, consistently, by a frequent
 * first name or surname in the same letter case. */
static int surrogate_name(cs_redact_session *s, const char *t, size_t n, cs_phi_role role, cs_buf *b)
{
    size_t words = 0;
    for (size_t i = 0; i < n; i++) if (is_letter(t[i]) && (i == 0 || !is_letter(t[i - 1]))) words++;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        if (!is_letter(t[i])) { if (cs_buf_putc(b, t[i]) != CS_OK) return CS_ERR_NOMEM; i++; continue; }
        size_t j = i;
        while (j < n && (is_letter(t[j]) || (t[j] == '\'' && j + 1 < n && is_letter(t[j + 1])) || (t[j] == '-' && j + 1 < n && is_letter(t[j + 1])))) j++;
        uint64_t h = hash_key(s->opts.seed, t + i, j - i);
        int up = 1, lo = 1;
        for (size_t q = i; q < j; q++) { up &= !(t[q] >= 'a' && t[q] <= 'z'); lo &= !(t[q] >= 'A' && t[q] <= 'Z'); }
        if (j - i == 1) { /* an initial */
            char c = (char)('A' + h % 26);
            if (cs_buf_putc(b, lo ? c + 32 : c) != CS_OK) return CS_ERR_NOMEM;
        } else {
            int first = (words > 1 && w + 1 < words) || (words == 1 && role == CS_ROLE_RELATIVE);
            const char *nm = first ? cs_surrogate_first[h % cs_surrogate_first_n] : cs_surrogate_last[h % cs_surrogate_last_n];
            if (put_cased(b, nm, up, lo) != CS_OK) return CS_ERR_NOMEM;
        }
        w++;
        i = j;
    }
    return CS_OK;
}

/* Same shape, other characters: digits stay digits, letters letters. */
static int surrogate_shape(cs_redact_session *s, const char *t, size_t n, cs_buf *b)
{
    uint64_t h = hash_key(s->opts.seed, t, n);
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        h = mix(h + i);
        if (c >= '0' && c <= '9') c = (char)('0' + h % 10);
        else if (c >= 'a' && c <= 'z') c = (char)('a' + h % 26);
        else if (c >= 'A' && c <= 'Z') c = (char)('A' + h % 26);
        if (cs_buf_putc(b, c) != CS_OK) return CS_ERR_NOMEM;
    }
    return CS_OK;
}

static int zip3_restricted(const char *z)
{
    static const char *const r[] = {"036", "059", "063", "102", "203", "556", "692", "790", "821",
                                    "823", "830", "831", "878", "879", "884", "890", "893", NULL};
    for (size_t i = 0; r[i]; i++) if (!strncmp(z, r[i], 3)) return 1;
    return 0;
}

static int all_digits_zip(const char *t, size_t n)
{
    if (n != 5 && n != 10) return 0;
    for (size_t i = 0; i < n; i++) if (!((t[i] >= '0' && t[i] <= '9') || (i == 5 && t[i] == '-'))) return 0;
    return 1;
}

static int surrogate(cs_redact_session *s, const cs_phi_span *sp, const char *t, size_t n, cs_buf *b)
{
    uint64_t h = hash_key(s->opts.seed, t, n);
    switch (sp->category) {
    case CS_PHI_NAME: return surrogate_name(s, t, n, sp->role, b);
    case CS_PHI_DATE:
        if (cs_date_shift_write(t, n, cs_redact_session_date_shift(s), b)) return CS_OK;
        return cs_buf_puts(b, "[DATE]");
    case CS_PHI_AGE: return cs_buf_puts(b, "90+");
    case CS_PHI_EMAIL: return cs_buf_printf(b, "person%u@example.org", (unsigned)(h % 10000));
    case CS_PHI_URL: return cs_buf_printf(b, "https://example.org/%u", (unsigned)(h % 10000));
    case CS_PHI_IP: return cs_buf_printf(b, "192.0.2.%u", (unsigned)(h % 254 + 1));
    case CS_PHI_LOCATION:
        if (all_digits_zip(t, n)) {
            if (zip3_restricted(t)) return cs_buf_puts(b, "00000");
            return cs_buf_printf(b, "%.3s00", t);
        }
        if (n && t[0] >= '0' && t[0] <= '9')
            return cs_buf_printf(b, "%u %s Street", (unsigned)(h % 900 + 100), cs_surrogate_last[h % cs_surrogate_last_n]);
        return cs_buf_puts(b, cs_surrogate_city[h % cs_surrogate_city_n]);
    case CS_PHI_FACILITY:
        return cs_buf_printf(b, "%s Medical Center", cs_surrogate_city[h % cs_surrogate_city_n]);
    default: return surrogate_shape(s, t, n, b);
    }
}

static const char *role_tag(cs_phi_role r)
{
    return r == CS_ROLE_PATIENT ? "PATIENT" : r == CS_ROLE_CLINICIAN ? "CLINICIAN" : r == CS_ROLE_RELATIVE ? "RELATIVE" : "PERSON";
}

static int only_space(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) if (t[i] != ' ' && t[i] != '\t' && t[i] != ',') return 0;
    return 1;
}

int cs_redact_apply(cs_redact_session *s, const char *text, size_t len, const cs_span_list *spans,
                    char **out, size_t *out_len)
{
    if (!s || (!text && len) || !spans || !out) return CS_ERR_INVALID;
    *out = NULL;
    if (out_len) *out_len = 0;
    for (size_t i = 0; i < spans->n; i++)
        if (spans->items[i].end > len || spans->items[i].start >= spans->items[i].end ||
            (i && spans->items[i].start < spans->items[i - 1].end) || spans->items[i].category >= CS_PHI_COUNT)
            return CS_ERR_INVALID;
    cs_buf b = {0};
    int rc = cs_buf_reserve(&b, len + 16);
    size_t pos = 0;
    for (size_t i = 0; i < spans->n && rc == CS_OK; i++) {
        const cs_phi_span *sp = &spans->items[i];
        rc = cs_buf_append(&b, text + pos, sp->start - pos);
        pos = sp->end;
        if (rc != CS_OK) break;
        if (sp->category == CS_PHI_DATE && s->opts.keep_dates) {
            rc = cs_buf_append(&b, text + sp->start, sp->end - sp->start);
            continue;
        }
        const char *t = text + sp->start;
        size_t n = sp->end - sp->start;
        switch (s->opts.mode) {
        case CS_REDACT_MASK:
            rc = cs_buf_printf(&b, "[%s]", cs_phi_category_name(sp->category));
            break;
        case CS_REDACT_PSEUDONYM: {
            cs_phi_role role = sp->role;
            size_t last = i;
            if (sp->category == CS_PHI_NAME) { /* "John Smith": one person */
                while (last + 1 < spans->n && spans->items[last + 1].category == CS_PHI_NAME &&
                       only_space(text, spans->items[last].end, spans->items[last + 1].start)) {
                    last++;
                    if (role == CS_ROLE_UNKNOWN) role = spans->items[last].role;
                }
                t = text + spans->items[last].start;
                n = spans->items[last].end - spans->items[last].start;
                while (n > 1 && (t[n - 1] == '.' || t[n - 1] == ',')) n--;
                if (n <= 2 && last > i) { /* key on the surname, not an initial */
                    t = text + spans->items[last - 1].start;
                    n = spans->items[last - 1].end - spans->items[last - 1].start;
                }
                pos = spans->items[last].end;
            }
            int err = CS_OK;
            if (sp->category == CS_PHI_NAME && role == CS_ROLE_PATIENT) {
                rc = cs_buf_puts(&b, "[PATIENT]");
            } else {
                int num = number_of(s, sp->category, sp->category == CS_PHI_NAME ? role : CS_ROLE_UNKNOWN, t, n, &err);
                if (err != CS_OK) { rc = err; break; }
                rc = cs_buf_printf(&b, "[%s-%d]", sp->category == CS_PHI_NAME ? role_tag(role) : cs_phi_category_name(sp->category), num);
            }
            i = last;
            break;
        }
        case CS_REDACT_SURROGATE:
            rc = surrogate(s, sp, t, n, &b);
            break;
        default:
            rc = CS_ERR_INVALID;
        }
    }
    if (rc == CS_OK) rc = cs_buf_append(&b, text + pos, len - pos);
    if (rc != CS_OK) { cs_buf_free(&b); return rc; }
    if (out_len) *out_len = b.len;
    *out = cs_buf_take(&b);
    return CS_OK;
}
