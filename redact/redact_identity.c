/*
 * redact_identity.c: the document's own identity (from the C-CDA/FHIR
 * header) searched for everywhere in the narrative.
 *
 *   names        each name word on word boundaries, any case, possessive
 *                ("SMITH", "Smith's"); a word that is also an English word
 *                ("Brown") only when written as a name (Title or UPPER)
 *   identifiers  as written, and by their digits when written with other
 *                separators ("123-45-6789" vs "123 45 6789")
 *   birth dates  every common written form of the same date
 *   addresses    each line as written (any case, any spacing)
 *   telecoms     e-mails as written; phone numbers by their digits
 */
#include "redact_internal.h"

#include "cs_err.h"

#include <stdio.h>
#include <strings.h>
#include <string.h>

static int is_wordc(unsigned char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static int fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Every case-insensitive, word-bounded occurrence of p[0..m) in text;
 * whitespace in p matches any run of whitespace. */
static int find_all(const char *t, size_t len, const char *p, size_t m, cs_phi_category cat,
                    cs_phi_role role, int need_name_case, cs_span_list *out)
{
    if (m == 0) return CS_OK;
    for (size_t i = 0; i + m <= len; i++) {
        if (fold((unsigned char)t[i]) != fold((unsigned char)p[0])) continue;
        if (i > 0 && is_wordc((unsigned char)t[i - 1]) && is_wordc((unsigned char)p[0])) continue;
        size_t a = i, b = 0;
        while (b < m && a < len) {
            if ((p[b] == ' ' || p[b] == '\n') && (t[a] == ' ' || t[a] == '\n' || t[a] == '\t' || t[a] == '\r')) {
                while (b < m && (p[b] == ' ' || p[b] == '\n')) b++;
                while (a < len && (t[a] == ' ' || t[a] == '\n' || t[a] == '\t' || t[a] == '\r')) a++;
                continue;
            }
            if (fold((unsigned char)t[a]) != fold((unsigned char)p[b])) break;
            a++, b++;
        }
        if (b < m) continue;
        if (a < len && is_wordc((unsigned char)t[a]) && is_wordc((unsigned char)p[m - 1])) continue;
        if (need_name_case && !(t[i] >= 'A' && t[i] <= 'Z')) continue;
        int rc = cs_spans_add(out, i, a, cat, CS_SRC_IDENTITY, role);
        if (rc != CS_OK) return rc;
    }
    return CS_OK;
}

/* Occurrences of a digit string written with any separators among
 * " ().-/" between digits, bounded by non-digits. */
static int find_digits(const char *t, size_t len, const char *digits, size_t nd,
                       cs_phi_category cat, cs_span_list *out)
{
    for (size_t i = 0; i < len; i++) {
        if (t[i] != digits[0] || (i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9')) continue;
        size_t a = i, b = 0, last = i;
        while (a < len && b < nd) {
            if (t[a] == digits[b]) { b++; last = a; a++; continue; }
            if (strchr(" ().-/", t[a]) && a > i) { a++; continue; }
            break;
        }
        if (b == nd && !(last + 1 < len && t[last + 1] >= '0' && t[last + 1] <= '9')) {
            int rc = cs_spans_add(out, i, last + 1, cat, CS_SRC_IDENTITY, CS_ROLE_PATIENT);
            if (rc != CS_OK) return rc;
            i = last;
        }
    }
    return CS_OK;
}

static size_t only_digits(const char *s, char *buf, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++) if (*s >= '0' && *s <= '9') buf[n++] = *s;
    buf[n] = 0;
    return n;
}

static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"};

static int birth_date_variants(const char *t, size_t len, int y, int m, int d, cs_span_list *out)
{
    char v[24][40];
    int k = 0;
    const char *mn = months[m - 1];
    snprintf(v[k++], 40, "%d/%d/%04d", m, d, y);
    snprintf(v[k++], 40, "%02d/%02d/%04d", m, d, y);
    snprintf(v[k++], 40, "%d/%d/%02d", m, d, y % 100);
    snprintf(v[k++], 40, "%02d/%02d/%02d", m, d, y % 100);
    snprintf(v[k++], 40, "%d-%d-%04d", m, d, y);
    snprintf(v[k++], 40, "%02d-%02d-%04d", m, d, y);
    snprintf(v[k++], 40, "%d-%d-%02d", m, d, y % 100);
    snprintf(v[k++], 40, "%04d-%02d-%02d", y, m, d);
    snprintf(v[k++], 40, "%04d%02d%02d", y, m, d);
    snprintf(v[k++], 40, "%d.%d.%04d", d, m, y);
    snprintf(v[k++], 40, "%02d.%02d.%04d", d, m, y);
    snprintf(v[k++], 40, "%s %d, %04d", mn, d, y);
    snprintf(v[k++], 40, "%s %d %04d", mn, d, y);
    snprintf(v[k++], 40, "%.3s %d, %04d", mn, d, y);
    snprintf(v[k++], 40, "%.3s %d %04d", mn, d, y);
    snprintf(v[k++], 40, "%.3s. %d, %04d", mn, d, y);
    snprintf(v[k++], 40, "%d %s %04d", d, mn, y);
    snprintf(v[k++], 40, "%d %.3s %04d", d, mn, y);
    snprintf(v[k++], 40, "%02d %.3s %04d", d, mn, y);
    snprintf(v[k++], 40, "%d-%.3s-%04d", d, mn, y);
    snprintf(v[k++], 40, "%02d-%.3s-%04d", d, mn, y);
    for (int i = 0; i < k; i++) {
        int rc = find_all(t, len, v[i], strlen(v[i]), CS_PHI_DATE, CS_ROLE_PATIENT, 0, out);
        if (rc != CS_OK) return rc;
    }
    return CS_OK;
}

int cs_identity_find(const cs_redactor *r, const char *t, size_t len, const cs_identity *id, cs_span_list *out)
{
    int rc = CS_OK;
    if (!id) return CS_OK;
    for (size_t i = 0; i < id->names.n && rc == CS_OK; i++) {
        const char *s = id->names.items[i];
        while (*s && rc == CS_OK) { /* each name word */
            while (*s && !is_wordc((unsigned char)*s)) s++;
            const char *w = s;
            while (*s && (is_wordc((unsigned char)*s) || ((*s == '\'' || *s == '-') && is_wordc((unsigned char)s[1])))) s++;
            size_t n = (size_t)(s - w);
            if (n < 2) continue;
            unsigned f = cs_dict_lookup(&r->dict, w, n);
            int wordlike = (f & (CS_W_COMMON | CS_W_MEDICAL)) != 0;
            rc = find_all(t, len, w, n, CS_PHI_NAME, CS_ROLE_PATIENT, wordlike, out);
        }
    }
    for (size_t i = 0; i < id->identifiers.n && rc == CS_OK; i++) {
        const char *s = id->identifiers.items[i];
        if (strlen(s) >= 3) rc = find_all(t, len, s, strlen(s), CS_PHI_ID, CS_ROLE_PATIENT, 0, out);
        char dg[64];
        size_t nd = only_digits(s, dg, sizeof dg);
        if (rc == CS_OK && nd >= 4) rc = find_digits(t, len, dg, nd, CS_PHI_ID, out);
    }
    for (size_t i = 0; i < id->birth_dates.n && rc == CS_OK; i++) {
        const char *s = id->birth_dates.items[i];
        int y, m, d;
        if (strlen(s) >= 3) rc = find_all(t, len, s, strlen(s), CS_PHI_DATE, CS_ROLE_PATIENT, 0, out);
        if (rc == CS_OK && cs_date_parse(s, strlen(s), &y, &m, &d) && y > 0)
            rc = birth_date_variants(t, len, y, m, d, out);
    }
    for (size_t i = 0; i < id->addresses.n && rc == CS_OK; i++) {
        const char *s = id->addresses.items[i];
        size_t n = strlen(s);
        if (n >= 3 && strcasecmp(s, "USA") && strcasecmp(s, "US"))
            rc = find_all(t, len, s, n, CS_PHI_LOCATION, CS_ROLE_PATIENT, 0, out);
    }
    for (size_t i = 0; i < id->telecoms.n && rc == CS_OK; i++) {
        const char *s = id->telecoms.items[i];
        const char *c = strchr(s, ':');
        if (c && (size_t)(c - s) <= 6) s = c + 1; /* tel:, mailto:, fax: */
        if (strchr(s, '@')) {
            rc = find_all(t, len, s, strlen(s), CS_PHI_EMAIL, CS_ROLE_PATIENT, 0, out);
            continue;
        }
        char dg[64];
        size_t nd = only_digits(s, dg, sizeof dg);
        if (nd >= 7) {
            const char *d = dg;
            if (nd == 11 && dg[0] == '1') d++, nd--; /* +1 country code */
            rc = find_digits(t, len, d, nd, CS_PHI_PHONE, out);
        }
    }
    return rc;
}
