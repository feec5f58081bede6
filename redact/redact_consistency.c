/*
 * redact_consistency.c: a string found as a name or place somewhere in a
 * text is that identifier everywhere in the text.
 *
 * Context rules see one occurrence ("Dr. Kessler", "transferred to
 * Quartermain 2"); the same word later ("KESSLER AWARE", "back on
 * quartermain") has no context of its own.  Every word of a name, place or
 * facility span that cannot be an English or medical word becomes a seed,
 * and every other whole-word occurrence of a seed, in any case, is added
 * with the seed's category and role.  Words of two letters count only when
 * the span wrote them in capitals ("GH"), and then only capitalised
 * occurrences follow.
 *
 * A name found from its context that is also an English word or an
 * eponym ("daughter Hope", "Dr. Foley") spreads only where it is written as
 * a name again: before a word only people take ("Hope called", "FOLEY
 * AWARE"), or, for English words, Title Case inside a sentence ("told
 * Hope"), never as the word ("Hope to extubate", "Foley catheter").
 */
#include "redact_internal.h"

#include "cs_err.h"

#include <string.h>

#define MAX_SEEDS 64

typedef struct {
    const char *w;
    size_t n;
    cs_phi_category c;
    cs_phi_role role;
    int caps_only;
    int worded;  /* 1: also an English word, 2: an eponym (see above) */
} seed;

static int wordc(unsigned char c) { return ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0x80; }
static int upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

static int ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (upper(x)) x += 32;
        if (upper(y)) y += 32;
        if (x != y) return 0;
    }
    return 1;
}

/* End of the word starting at i: letters with inner ' and -. */
static size_t word_end(const char *t, size_t len, size_t i)
{
    size_t j = i + 1;
    while (j < len && (wordc((unsigned char)t[j]) ||
                       ((t[j] == '\'' || t[j] == '-') && j + 1 < len && wordc((unsigned char)t[j + 1]))))
        j++;
    return j;
}

/* A context name that is also a word: 1 English, 2 eponym, 0 neither. */
static int worded_kind(const cs_redactor *r, const char *w, size_t n)
{
    unsigned f = cs_dict_lookup(&r->dict, w, n);
    if (n < 3 || !(f & (CS_W_FIRST | CS_W_LAST)) || (f & CS_W_MEDICAL) || cs_context_is_plain_word(r, w, n)) return 0;
    return (f & CS_W_COMMON) ? 1 : (f & CS_W_EPONYM) ? 2 : 0;
}

/* The occurrence t[i..i+n) is written as a name (see the file comment). */
static int as_name(const cs_redactor *r, const char *t, size_t len, size_t i, size_t n, int worded)
{
    size_t j = i + n;
    if (j + 1 < len && t[j] == '\'' && (t[j + 1] | 32) == 's') j += 2;
    while (j < len && (t[j] == ' ' || t[j] == ',')) j++;
    size_t e = j;
    while (e < len && wordc((unsigned char)t[e])) e++;
    if (e > j && (cs_kw_lookup(&r->kw, t + j, e - j) & r->kwb.reporting)) return 1;
    if (worded != 1 || !upper((unsigned char)t[i]) || !(t[i + 1] >= 'a' && t[i + 1] <= 'z')) return 0;
    size_t b = i;
    while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t')) b--;
    return b > 0 && (wordc((unsigned char)t[b - 1]) || t[b - 1] == ',');
}

static int is_seed_word(const cs_redactor *r, const char *w, size_t n, int *caps_only)
{
    if (n < 2 || n > 40) return 0;
    int all_up = 1;
    for (size_t i = 0; i < n; i++) all_up &= upper((unsigned char)w[i]) || w[i] == '\'' || w[i] == '-';
    if (n == 2 && !all_up) return 0;
    *caps_only = n == 2;
    if (cs_dict_lookup(&r->dict, w, n) & (CS_W_COMMON | CS_W_MEDICAL | CS_W_EPONYM)) return 0;
    return !cs_context_is_plain_word(r, w, n);
}

int cs_consistency_find(const cs_redactor *r, const char *t, size_t len, cs_span_list *out)
{
    seed sd[MAX_SEEDS];
    size_t ns = 0, n0 = out->n;
    for (size_t k = 0; k < n0 && ns < MAX_SEEDS; k++) {
        const cs_phi_span *p = &out->items[k];
        if (p->category != CS_PHI_NAME && p->category != CS_PHI_LOCATION && p->category != CS_PHI_FACILITY)
            continue;
        for (size_t i = p->start; i < p->end && i < len && ns < MAX_SEEDS;) {
            if (!wordc((unsigned char)t[i])) { i++; continue; }
            size_t j = word_end(t, len, i);
            if (j > p->end) j = p->end;
            size_t n = j - i;
            if (n >= 2 && t[j - 2] == '\'' && (t[j - 1] | 32) == 's') n -= 2; /* possessive */
            int caps_only = 0, dup = 0, worded = 0;
            if (is_seed_word(r, t + i, n, &caps_only) ||
                (p->category == CS_PHI_NAME && p->source == CS_SRC_CONTEXT && (worded = worded_kind(r, t + i, n)))) {
                for (size_t q = 0; q < ns && !dup; q++) dup = sd[q].n == n && ieq(sd[q].w, t + i, n);
                if (!dup) sd[ns++] = (seed){t + i, n, p->category, p->role, caps_only, worded};
            }
            i = j;
        }
    }
    if (!ns) return CS_OK;
    int rc = CS_OK;
    for (size_t i = 0; i < len && rc == CS_OK;) {
        if (!wordc((unsigned char)t[i])) { i++; continue; }
        size_t j = word_end(t, len, i), n = j - i;
        if (n >= 4 && t[j - 2] == '\'' && (t[j - 1] | 32) == 's') n -= 2;
        for (size_t q = 0; q < ns; q++) {
            if (sd[q].n != n || (t[i] | 32) != (sd[q].w[0] | 32) || !ieq(sd[q].w, t + i, n)) continue;
            if (sd[q].caps_only && !(upper((unsigned char)t[i]) && upper((unsigned char)t[i + 1]))) break;
            if (sd[q].worded && !as_name(r, t, len, i, n, sd[q].worded)) break;
            /* reported as dictionary evidence: a propagated word must not
             * outrank a pattern where they overlap ("April 12, 1950") */
            rc = cs_spans_add(out, i, i + n, sd[q].c, CS_SRC_DICTIONARY, sd[q].role);
            break;
        }
        i = j;
    }
    return rc;
}
