/*
 * redact_places.c: places and facilities named next to a US state, a
 * university, a compass region or a medical-center acronym, and the
 * widening of place spans the other detectors found.
 *
 * Find (runs with the other detectors; one keyword lookup per word, the
 * dictionary only at a hit, so it costs little on text with no place):
 *   university   "U Maryland", "Univ. of Iowa", "University of Michigan"
 *   city, state  "towson maryland's", "Bel Air, Maryland" (the city; in
 *                Title Case the state too, as part of the address)
 *   state city   "New York City", "Kansas City"
 *   region       "from the Eastern Shore", "in West Baltimore",
 *                "on North Campus"
 *   area         "in the Towson area" (the town, not "area")
 *   acronym      "HCMC", "UPMC", "BIDMC": four to six capitals ending in
 *                MC that no dictionary knows (Medical Center; three are
 *                too often joints and devices, "CMC")
 * Extend (runs last, over the spans of every detector, in Title Case only:
 * in one-case ICU shorthand "HOSPITAL" and "MD" are not taken):
 *   state        "Atlanta, GA", "Houston, Texas"
 *   facility     "Chicago VA", "Albuquerque Neurology Center",
 *                "Chicago downtown clinic"
 *   town         "Memorial Hospital in Atlanta", "Brigham and Women's
 *                Hospital, Boston"
 *   kind         one case: "LAUREL REGIONAL" (the town's hospital)
 */
#include "redact_internal.h"

#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ keyword lists */

static const char *const univ_words[] = {"u", "univ", "university", NULL};
static const char *const compass_words[] = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "northeast", "northwest", "southeast", "southwest", NULL};
static const char *const region_preps[] = {"from", "in", "on", "to", "near", "at", "of", NULL};
/* Last word of a facility's name after a town: "Chicago VA", "Denver Health". */
static const char *const facility_tails[] = {
    "hospital", "hospitals", "hosp", "clinic", "clinics", "center", "centers", "centre", "health", "office", "va", "institute",
    "infirmary", "hospice", "rehab", "medical", "practice", "pavilion", NULL};
/* Where someone lives or works: the proper name after the preposition. */
static const char *const home_words[] = {"lives", "living", "lived", "resides", "residing", "resident",
                                         "moved", "relocated", "native", "works", "worked", "working",
                                         "employed", "retired", "ceo", "employee", NULL};
static const char *const home_preps[] = {"in", "at", "to", "near", "of", "for", "by", "from", "with", NULL};
/* The word after a place's name: "in the Towson area". */
static const char *const area_words[] = {"area", NULL};
enum { L_UNIV, L_STATE, L_COMPASS, L_PREP, L_TAIL, L_HOME, L_HOMEPREP, L_AREA };

int cs_places_init(cs_redactor *r)
{
    static const char *const *const lists[] = {univ_words, cs_state_heads, compass_words, region_preps,
                                               facility_tails, home_words, home_preps, area_words, NULL};
    /* A cheap pre-check before hashing: which word lengths occur per first
     * two letters.  Most words of a note fail it. */
    memset(r->place_pre, 0, sizeof r->place_pre);
    for (size_t l = 0; lists[l]; l++)
        for (size_t k = 0; lists[l][k] && l != L_PREP && l != L_HOMEPREP; k++) { /* looked up beside a hit only */
            const char *w = lists[l][k];
            size_t n = strcspn(w, " ");
            if (n < 32 && w[0] >= 'a' && w[0] <= 'z')
                r->place_pre[(w[0] - 'a') * 27 + (n > 1 && w[1] >= 'a' && w[1] <= 'z' ? w[1] - 'a' : 26)] |= 1u << n;
        }
    return cs_kw_build(&r->place_kw, lists);
}

static uint32_t place_lookup(const cs_redactor *r, const char *w, size_t n)
{
    if (n >= 32) return 0;
    size_t a = (size_t)((w[0] | 32) - 'a'), b = n > 1 ? (size_t)((w[1] | 32) - 'a') : 26;
    if (a > 25 || b > 26 || !(r->place_pre[a * 27 + b] & (1u << n))) return 0;
    return cs_kw_lookup(&r->place_kw, w, n);
}

void cs_places_free(cs_redactor *r) { cs_kw_free(&r->place_kw); }

/* ------------------------------------------------------------ words */

static int is_alpha(char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }

/* The word at or after position i on the same line: [*ws, *we) letters with
 * inner ' and -; returns 0 at a line end, other text or the end. */
static int next_word(const char *t, size_t len, size_t i, size_t *ws, size_t *we)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t')) i++;
    if (i >= len || !is_alpha(t[i])) return 0;
    size_t j = i;
    while (j < len && (is_alpha(t[j]) || ((t[j] == '\'' || t[j] == '-') && j + 1 < len && is_alpha(t[j + 1])))) j++;
    *ws = i;
    *we = j;
    return 1;
}

/* The word ending just before position i (spaces skipped, not a newline). */
static int prev_word(const char *t, size_t i, size_t *ws, size_t *we)
{
    while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t')) i--;
    if (i == 0 || !is_alpha(t[i - 1])) return 0;
    size_t b = i;
    while (b > 0 && (is_alpha(t[b - 1]) || ((t[b - 1] == '\'' || t[b - 1] == '-') && b >= 2 && is_alpha(t[b - 2])))) b--;
    *ws = b;
    *we = i;
    return 1;
}

/* Word without a possessive "'s". */
static size_t stem_len(const char *w, size_t n)
{
    return n > 2 && w[n - 2] == '\'' && (w[n - 1] | 32) == 's' ? n - 2 : n;
}

/* "Maryland", "New York", "district of columbia" at s: its end, or 0. */
static size_t state_at(const char *t, size_t len, size_t s)
{
    for (size_t k = 0; cs_state_names[k]; k++) {
        const char *name = cs_state_names[k];
        if ((t[s] | 32) != name[0]) continue;
        size_t i = s, q = 0;
        while (name[q] && i < len) {
            if (name[q] == ' ') {
                if (t[i] != ' ') break;
                while (i < len && t[i] == ' ') i++;
                q++;
                continue;
            }
            if ((char)(t[i] | 32) != name[q]) break;
            i++;
            q++;
        }
        if (name[q]) continue;
        if (i + 1 < len && t[i] == '\'' && (t[i + 1] | 32) == 's') i += 2; /* "maryland's" */
        if (i < len && is_alpha(t[i])) continue;
        return i;
    }
    return 0;
}

/* Title Case word: "Atlanta" (not "ATLANTA", not "atlanta"). */
static int title_word(const char *t, size_t s, size_t e) { return e - s >= 2 && is_upper(t[s]) && is_lower(t[s + 1]); }

/* Is [s, e) a US city of one or two words ("towson", "Bel Air")? */
static size_t city_before(const cs_redactor *r, const char *t, size_t end)
{
    size_t a, b;
    if (!prev_word(t, end, &a, &b)) return SIZE_MAX;
    size_t a2, b2;
    if (prev_word(t, a, &a2, &b2) && b - a2 < 40) { /* "Bel Air" before "Bel" alone */
        char buf[48];
        size_t m = 0;
        memcpy(buf, t + a2, b2 - a2);
        m = b2 - a2;
        buf[m++] = ' ';
        memcpy(buf + m, t + a, b - a);
        m += b - a;
        if (cs_dict_lookup(&r->dict, buf, m) & CS_W_PLACE) return a2;
    }
    unsigned f = cs_dict_lookup(&r->dict, t + a, b - a);
    if ((f & CS_W_PLACE) && !(f & (CS_W_COMMON | CS_W_MEDICAL)) && b - a >= 3 &&
        !cs_context_is_plain_word(r, t + a, b - a))
        return a;
    return SIZE_MAX;
}

/* ------------------------------------------------------------ find */
/* Called by the pattern scan (redact_patterns.c) for each word [i, j) of
 * letters, so the text is walked once for both. */

static int add(cs_span_list *out, size_t s, size_t e, cs_phi_category c)
{
    return cs_spans_add(out, s, e, c, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
}

/* "U Maryland", "Univ. of Iowa": the end of the place, or 0. */
static size_t univ_place(const cs_redactor *r, const char *t, size_t len, size_t e)
{
    size_t i = e, ws, we;
    if (i < len && t[i] == '.') i++;
    if (!next_word(t, len, i, &ws, &we)) return 0;
    if (we - ws == 2 && lower_eq(t + ws, 2, "of")) {
        if (!next_word(t, len, we, &ws, &we)) return 0;
    }
    size_t st = state_at(t, len, ws);
    if (st) return st;
    unsigned f = cs_dict_lookup(&r->dict, t + ws, we - ws);
    if ((f & CS_W_PLACE) && !(f & (CS_W_COMMON | CS_W_MEDICAL)) && (is_upper(t[ws])) && we - ws >= 4) return we;
    return 0;
}

/* Is the line holding position i written in one case (ICU shorthand)? */
static int one_case_line(const char *t, size_t len, size_t i)
{
    size_t b = i, e = i, up = 0, lo = 0;
    while (b > 0 && t[b - 1] != '\n' && i - b < 200) b--;
    while (e < len && t[e] != '\n' && e - i < 200) e++;
    for (size_t k = b; k < e; k++) {
        up += is_upper(t[k]);
        lo += is_lower(t[k]);
    }
    return lo * 5 < up || up * 20 < lo;
}

/* "lives in Towson", "LIVES IN DC", "CEO OF IBM": after a home or work
 * word and its preposition, up to three words written as a name (in text
 * of one case, words no English list knows), one of them a town, a state
 * or unknown.  Returns the end of the place, or 0. */
static size_t home_place(const cs_redactor *r, const char *t, size_t len, size_t e)
{
    size_t ws, we;
    if (!next_word(t, len, e, &ws, &we) || !(cs_kw_lookup(&r->place_kw, t + ws, we - ws) & (1u << L_HOMEPREP)))
        return 0;
    int one_case = one_case_line(t, len, ws);
    size_t end = 0, i = we;
    int named = 0;
    for (int w = 0; w < 3 && next_word(t, len, i, &ws, &we); w++) {
        size_t n = we - ws;
        size_t st = state_at(t, len, ws);
        int abbrev = 0;
        if (n == 2 && is_upper(t[ws]) && is_upper(t[ws + 1]))
            for (size_t k = 0; cs_state_abbrevs[k] && !abbrev; k++)
                abbrev = t[ws] == cs_state_abbrevs[k][0] && t[ws + 1] == cs_state_abbrevs[k][1];
        if (st || abbrev) {
            end = st ? st : we;
            named = 1;
            i = end;
            continue;
        }
        if (!is_upper(t[ws]) || n < 2 || cs_context_is_plain_word(r, t + ws, n)) break;
        unsigned f = cs_dict_lookup(&r->dict, t + ws, n);
        if (f & (CS_W_MEDICAL | CS_W_EPONYM)) break;
        if (one_case && (f & CS_W_COMMON) && !(f & CS_W_PLACE)) break;
        if (!is_lower(t[ws + 1]) && !one_case && n > 5) break; /* capitals in mixed text: a shout, an acronym */
        named |= (f & CS_W_PLACE) || !(f & CS_W_COMMON);
        end = we;
        i = we;
    }
    return named ? end : 0;
}

/* "from quartermain 5", "TO WEINBERG 4": a word no dictionary knows, then
 * a one-digit ward or floor number. */
static size_t ward_place(const cs_redactor *r, const char *t, size_t len, size_t e, size_t *start)
{
    size_t ws, we;
    if (!next_word(t, len, e, &ws, &we) || we - ws < 5 || we >= len || t[we] != ' ') return 0;
    size_t d = we + 1;
    if (!(d < len && t[d] >= '1' && t[d] <= '9')) return 0;
    if (d + 1 < len && (is_alpha(t[d + 1]) || (t[d + 1] >= '0' && t[d + 1] <= '9') || t[d + 1] == '/' || t[d + 1] == '%' ||
                        (t[d + 1] == '.' && d + 2 < len && t[d + 2] >= '0' && t[d + 2] <= '9')))
        return 0;
    size_t us, ue; /* "to propofl 5 mcg": a dose, not a ward */
    if (next_word(t, len, d + 1, &us, &ue) && us == d + 2 && ue - us <= 5 &&
        (cs_dict_lookup(&r->dict, t + us, ue - us) & CS_W_MEDICAL))
        return 0;
    if (cs_dict_lookup(&r->dict, t + ws, we - ws) || cs_context_is_plain_word(r, t + ws, we - ws)) return 0;
    for (size_t k = ws; k < we; k++)
        if (t[k] == '-' || t[k] == '\'') return 0;
    *start = ws;
    return we;
}

/* "Baltimore Rehab", "KERNAN REHAB": a town or a word no list knows before
 * "rehab" (not "cardiac rehab"). */
static size_t rehab_place(const cs_redactor *r, const char *t, size_t s)
{
    size_t a, b;
    if (!prev_word(t, s, &a, &b) || b - a < 4 || cs_context_is_plain_word(r, t + a, b - a)) return SIZE_MAX;
    if (memchr(t + a, '\'', b - a)) return SIZE_MAX; /* "CON'T REHAB" */
    unsigned f = cs_dict_lookup(&r->dict, t + a, b - a);
    if (f & CS_W_MEDICAL) return SIZE_MAX;
    if ((f & CS_W_PLACE) && !is_lower(t[a])) return a;   /* "Baltimore Rehab" (a surname too) */
    if (f & CS_W_EPONYM) return SIZE_MAX;
    if (!f && title_word(t, a, b)) return a;             /* "Kernan Rehab"; in capitals too many abbreviations */
    return SIZE_MAX;
}

/* A word written as a town's name: Title Case, a town or no English,
 * medical or eponym word. */
static int town_word(const cs_redactor *r, const char *t, size_t a, size_t b)
{
    if (b - a < 3 || !title_word(t, a, b) || cs_context_is_plain_word(r, t + a, b - a)) return 0;
    unsigned f = cs_dict_lookup(&r->dict, t + a, b - a);
    return !(f & (CS_W_MEDICAL | CS_W_EPONYM)) && (!(f & CS_W_COMMON) || (f & CS_W_PLACE));
}

/* "in the Towson area", "near Glen Burnie area": one or two town words
 * after a preposition (and "the"), before "area" at s.  The start of the
 * place, or SIZE_MAX. */
static size_t area_place(const cs_redactor *r, const char *t, size_t s, size_t *end)
{
    size_t a, b, a2, b2, pa, pb;
    if (!prev_word(t, s, &a, &b) || !town_word(r, t, a, b)) return SIZE_MAX;
    *end = b;
    if (prev_word(t, a, &a2, &b2) && town_word(r, t, a2, b2)) a = a2;
    if (!prev_word(t, a, &pa, &pb)) return SIZE_MAX;
    if (lower_eq(t + pa, pb - pa, "the") && !prev_word(t, pa, &pa, &pb)) return SIZE_MAX;
    return cs_kw_lookup(&r->place_kw, t + pa, pb - pa) & (1u << L_PREP) ? a : SIZE_MAX;
}

int cs_places_word(const cs_redactor *r, const char *t, size_t len, size_t i, size_t j, cs_span_list *out)
{
    size_t n = j - i;
    if (n >= 4 && n <= 6 && t[j - 1] == 'C' && t[j - 2] == 'M' && !(j < len && (t[j] >= '0' && t[j] <= '9'))) {
        int caps = 1; /* "GBMC", "UPMC" */
        for (size_t k = i; k < j; k++) caps &= is_upper(t[k]);
        return caps && !cs_dict_lookup(&r->dict, t + i, n) ? add(out, i, j, CS_PHI_FACILITY) : CS_OK;
    }
    if (n >= 5 && j + 2 < len && t[j] == ' ' && t[j + 1] >= '1' && t[j + 1] <= '9') { /* "quartermain 5" */
        size_t a, b, ws, we;
        if (prev_word(t, i, &a, &b) && (cs_kw_lookup(&r->place_kw, t + a, b - a) & (1u << L_PREP)) &&
            (we = ward_place(r, t, len, b, &ws)) != 0 && ws == i)
            return add(out, ws, we, CS_PHI_LOCATION);
    }
    uint32_t m = place_lookup(r, t + i, n);
    if (!m) return CS_OK;
    int rc = CS_OK;
    if ((m & (1u << L_UNIV)) && is_upper(t[i])) {
        size_t e = univ_place(r, t, len, j);
        if (e) return add(out, i, e, CS_PHI_FACILITY);
    }
    if (m & (1u << L_STATE)) {
        size_t e = state_at(t, len, i);
        if (e) {
            size_t b = i;
            while (b > 0 && t[b - 1] == ' ') b--;
            if (b > 0 && t[b - 1] == ',') b--;
            size_t c = city_before(r, t, b);
            if (c != SIZE_MAX) { /* "towson maryland's", "Bel Air, Maryland" */
                size_t ce, cs_;
                prev_word(t, b, &cs_, &ce);
                rc = add(out, c, title_word(t, c, ce) ? stem_len(t + i, e - i) + i : ce, CS_PHI_LOCATION);
            }
            size_t ws, we; /* "New York City" */
            if (rc == CS_OK && next_word(t, len, e, &ws, &we) && lower_eq(t + ws, we - ws, "city") &&
                is_upper(t[ws]) && is_upper(t[i]))
                rc = add(out, i, we, CS_PHI_LOCATION);
            return rc;
        }
    }
    if (m & (1u << L_HOME)) {
        size_t e = home_place(r, t, len, j);
        if (e) {
            size_t ws, we;
            next_word(t, len, j, &ws, &we);
            next_word(t, len, we, &ws, &we);
            return add(out, ws, e, CS_PHI_LOCATION);
        }
    }
    if (m & (1u << L_AREA)) {
        size_t e, a = area_place(r, t, i, &e);
        return a != SIZE_MAX ? add(out, a, e, CS_PHI_LOCATION) : CS_OK;
    }
    if ((m & (1u << L_TAIL)) && lower_eq(t + i, n, "rehab") && !is_lower(t[i])) {
        size_t a = rehab_place(r, t, i);
        if (a != SIZE_MAX) return add(out, a, j, CS_PHI_FACILITY);
    }
    if ((m & (1u << L_COMPASS)) && is_upper(t[i])) { /* "from the Eastern Shore" */
        size_t a, b, ws, we;
        int prep = prev_word(t, i, &a, &b);
        if (prep && lower_eq(t + a, b - a, "the")) prep = prev_word(t, a, &a, &b);
        if (prep && (cs_kw_lookup(&r->place_kw, t + a, b - a) & (1u << L_PREP)) &&
            next_word(t, len, j, &ws, &we) && we - ws >= 3 && is_upper(t[ws]) &&
            is_upper(t[i + 1]) == is_upper(t[ws + 1])) {
            unsigned f = cs_dict_lookup(&r->dict, t + ws, we - ws);
            if (!(f & (CS_W_MEDICAL | CS_W_EPONYM)) && !cs_context_is_plain_word(r, t + ws, we - ws) &&
                !(cs_kw_lookup(&r->place_kw, t + ws, we - ws) & (1u << L_PREP)))
                return add(out, i, we, CS_PHI_LOCATION);
        }
    }
    return CS_OK;
}

/* ------------------------------------------------------------ extend */

/* Index of the first span starting at or after position p (l sorted). */
static size_t first_at_or_after(const cs_span_list *l, size_t p)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->items[mid].start < p) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static int by_start(const void *a, const void *b)
{
    const cs_phi_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* "Arthur Peppler, MD": a person's name that is also a town, then a
 * credential that is also a state. */
static int credential_after_name(const char *t, size_t i, const cs_span_list *l, size_t e)
{
    if (!((t[i] == 'M' && t[i + 1] == 'D') || (t[i] == 'D' && t[i + 1] == 'O') || (t[i] == 'P' && t[i + 1] == 'A')))
        return 0;
    /* l is sorted by start (cs_places_extend): names ending at e start
     * shortly before it */
    size_t k = first_at_or_after(l, e);
    while (k > 0 && l->items[k - 1].start + 64 > e) {
        k--;
        if (l->items[k].category == CS_PHI_NAME && l->items[k].start < e && e <= l->items[k].end) return 1;
    }
    return 0;
}

/* How far to widen a Title Case place or facility span ending at e. */
static size_t widen(const cs_redactor *r, const char *t, size_t len, size_t e, cs_phi_category c, const cs_span_list *l,
                    int *facility)
{
    size_t ws, we;
    /* ", GA" / ", Texas" / " Maryland" */
    size_t i = e;
    if (i < len && t[i] == ',') i++;
    while (i < len && t[i] == ' ') i++;
    if (i > e && t[i - 1] == ' ' && i + 2 <= len && is_upper(t[i]) && is_upper(t[i + 1]) &&
        !(i + 2 < len && is_alpha(t[i + 2]))) { /* "Peppler,MD" is a credential */
        for (size_t k = 0; cs_state_abbrevs[k]; k++)
            if (t[i] == cs_state_abbrevs[k][0] && t[i + 1] == cs_state_abbrevs[k][1])
                return credential_after_name(t, i, l, e) ? e : i + 2;
    }
    if (i > e && i < len && is_upper(t[i])) {
        size_t st = state_at(t, len, i);
        if (st) return stem_len(t + i, st - i) + i;
    }
    /* one or two words, then a facility word: "Chicago VA", "Albuquerque
     * Neurology Center", "Chicago downtown clinic" */
    i = e;
    for (int w = 0; w < 3 && next_word(t, len, i, &ws, &we) && ws == i + 1; w++) {
        if (cs_kw_lookup(&r->place_kw, t + ws, we - ws) & (1u << L_TAIL)) {
            if (is_upper(t[ws]) || w > 0 || c == CS_PHI_LOCATION) { *facility = 1; return we; }
            break;
        }
        unsigned f = cs_dict_lookup(&r->dict, t + ws, we - ws);
        if (cs_context_is_plain_word(r, t + ws, we - ws) || (!is_upper(t[ws]) && !(f & CS_W_COMMON))) break;
        i = we;
    }
    /* a facility, then "in"/"of"/"," and a town ("Memorial Hospital in
     * Atlanta"); a street, then "," and a town ("12 Elm St, Boston") */
    {
        i = e;
        if (i < len && t[i] == ',') i++;
        else if (c == CS_PHI_FACILITY && next_word(t, len, i, &ws, &we) &&
                 (lower_eq(t + ws, we - ws, "in") || lower_eq(t + ws, we - ws, "of")))
            i = we;
        else return e;
        while (i < len && t[i] == ' ') i++;
        for (size_t k = first_at_or_after(l, i); k < l->n && l->items[k].start == i; k++)
            if (l->items[k].category == CS_PHI_LOCATION) return l->items[k].end;
        if (next_word(t, len, i, &ws, &we) && title_word(t, ws, we)) {
            unsigned f = cs_dict_lookup(&r->dict, t + ws, we - ws);
            if ((f & CS_W_PLACE) && !(f & CS_W_MEDICAL)) return we;
        }
    }
    return e;
}

/* One-case text: "from franklin square hosp" - the words between a place
 * and the facility word it names are the name (the facility word is not,
 * as PhysioNet annotates it).  Returns the new end, or e. */
static size_t name_before_facility(const cs_redactor *r, const char *t, size_t len, size_t e)
{
    static const char *const tails[] = {"hospital", "hosp", "medical", "infirmary", "clinic", NULL};
    size_t i = e, ws, we;
    for (int w = 0; w < 3 && next_word(t, len, i, &ws, &we) && ws == i + 1; w++) {
        for (size_t k = 0; tails[k]; k++)
            if (lower_eq(t + ws, we - ws, tails[k])) return i;
        if (w == 2 || (cs_dict_lookup(&r->dict, t + ws, we - ws) & CS_W_MEDICAL) ||
            cs_context_is_plain_word(r, t + ws, we - ws))
            break;
        i = we;
    }
    return e;
}

/* One-case text: "TAKEN TO LAUREL REGIONAL WHERE" - a word that names a
 * hospital's kind right after a town is part of its name.  The new end,
 * or e. */
static size_t name_part_after(const char *t, size_t len, size_t e)
{
    static const char *const parts[] = {"regional", "general", "memorial", "community", "adventist", "baptist",
                                        "methodist", "presbyterian", "lutheran", NULL};
    size_t ws, we;
    if (!next_word(t, len, e, &ws, &we) || ws != e + 1 || is_upper(t[ws]) != is_upper(t[e - 1])) return e;
    for (size_t k = 0; parts[k]; k++)
        if (lower_eq(t + ws, we - ws, parts[k])) return we;
    return e;
}

int cs_places_extend(const cs_redactor *r, const char *t, size_t len, cs_span_list *out)
{
    /* Sorted so the look-ups around a span are binary searches (a note of
     * thousands of places must not cost spans x spans).  Widening only moves
     * ends, so the order holds. */
    size_t places = 0; /* most notes have none: then no sort */
    for (size_t k = 0; k < out->n; k++)
        places += out->items[k].category == CS_PHI_LOCATION || out->items[k].category == CS_PHI_FACILITY;
    if (!places) return CS_OK;
    qsort(out->items, out->n, sizeof *out->items, by_start);
    size_t n = out->n;
    for (size_t k = 0; k < n; k++) {
        cs_phi_span *sp = &out->items[k];
        if (sp->category != CS_PHI_LOCATION && sp->category != CS_PHI_FACILITY) continue;
        size_t a = sp->start; /* "45 Oak St": the first word with letters */
        while (a < sp->end && !is_alpha(t[a])) a++;
        if (!title_word(t, a, sp->end) && sp->category == CS_PHI_LOCATION) {
            size_t e = name_before_facility(r, t, len, sp->end);
            if (e > sp->end) sp->end = e;
        }
        if (!title_word(t, a, sp->end)) sp->end = name_part_after(t, len, sp->end);
        if (!title_word(t, a, sp->end) && !(sp->end - sp->start >= 2 && is_upper(t[sp->start]) &&
                                                    is_upper(t[sp->start + 1]) && sp->category == CS_PHI_FACILITY &&
                                                    sp->end < len && t[sp->end] == ' ' && sp->end + 1 < len &&
                                                    is_upper(t[sp->end + 1]) && sp->end + 2 < len && is_lower(t[sp->end + 2])))
            continue; /* one-case text: the name only (see the header) */
        for (int round = 0; round < 3; round++) {
            int facility = 0;
            size_t e = widen(r, t, len, out->items[k].end, out->items[k].category, out, &facility);
            if (e <= out->items[k].end) break;
            out->items[k].end = e;
            if (facility) out->items[k].category = CS_PHI_FACILITY; /* "Boston VA" */
        }
    }
    return CS_OK;
}
