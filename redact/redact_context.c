/*
 * redact_context.c: names and places found from words and their context.
 *
 * The text is cut into tokens; each word is looked up once in the
 * dictionaries (first/last names, places, common English, medical words).
 * Rules, strongest first:
 *   titles        "Dr. Lipper", "Mrs Nicholson"          (any non-word after)
 *   credentials   "Jean Hudson, RN", "Q. LANDER RRT"      (names before)
 *   roles/verbs   "seen by", "per", "paged", "NP Carol"; "W. MAROTTA AWARE"
 *   relatives     "daughter Thelma", "Niece, Patricia WAITE"
 *   labels        "Patient: ...", "Name: ..."
 *   dictionary    a first name or surname that is not an English or
 *                 medical word, Title Case in mixed-case text; in all-caps
 *                 or all-lower text only a first name followed by another
 *                 name word (too many abbreviations otherwise)
 *   places        US city names (multi-word first), "at/from <Proper Name>"
 * Eponyms (Parkinson, Foley) never count as names from the dictionary
 * alone; after a title they do ("Dr. Foley").
 * Person names that are also English words, and the rarer name contexts,
 * are read from the same tokens afterwards by redact_names.c.
 */
#include "redact_tokens.h"

#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ rule tables */

static const char *const function_words[] = {
    "the", "a", "an", "and", "or", "but", "to", "at", "in", "on", "of", "for", "with", "by",
    "from", "is", "was", "are", "were", "be", "been", "has", "had", "have", "will", "may",
    "can", "could", "would", "should", "did", "does", "do", "not", "no", "yes", "who", "that",
    "this", "here", "there", "he", "she", "they", "his", "her", "their", "him", "them", "it",
    "pt", "patient", "called", "came", "visited", "also", "aware", "present", "notified",
    "states", "stated", "said", "says", "re", "into", "up", "out", "via", "as", "if", "so",
    "home", "today", "tonight", "now", "then", "all", "both", "other", "again", "still", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "many", "few", "some", "more", "most", "much",
    "very", "well", "good", NULL};

static const char *const titles_clin[] = {"dr", "doctor", "docter", "drs", "prof", "professor", NULL};
static const char *const titles_other[] = {"mr", "mrs", "ms", "miss", "mister", "mstr", NULL};
static const char *const credentials[] = {
    "rn", "rrt", "md", "np", "lpn", "cna", "msw", "licsw", "lcsw", "crna", "phd", "pharmd",
    "rd", "slp", "pa-c", "dpm", "dds", "facp", "facc", "mph", "bsn", "msn", "aprn", "fnp", "do",
    "pa", "rph", "ccrn", "rcp", "crt", "sn", "emt", NULL};
static const char *const weak_credentials[] = {"do", "pa", "pt", "np", "sn", "crt", "rd", "ot", "emt", "rcp", "md", NULL};
static const char *const roles_before[] = {
    "np", "pa", "rn", "md", "nurse", "attending", "resident", "fellow", "intern", "surgeon",
    "physician", "pcp", "cardiologist", "neurologist", "oncologist", "intensivist",
    "hospitalist", "neurosurgeon", "per", "by", "paged", "page", "notified", "notify",
    "called", "informed", "contacted",
    "coordinator", "sw", "chaplain", "therapist", "pharmacist", "dietician", "dietitian",
    "case", "manager", NULL};
static const char *const verbs_role[] = {"per", "by", "paged", "page", "notified", "notify", "called", "informed", "contacted", NULL};
static const char *const verbs_after[] = {
    "aware", "notified", "paged", "called", "informed", "updated", "saw", "examined",
    "evaluated", "into", "in", "at", "here", "spoke", "made", "ordered", "said", "states",
    "recommends", "recommended", "wants", "feels", "rounded", NULL};
static const char *const relatives[] = {
    "wife", "husband", "daughter", "son", "sister", "brother", "mother", "father", "mom",
    "dad", "niece", "nephew", "aunt", "uncle", "grandson", "granddaughter", "grandmother",
    "grandfather", "cousin", "friend", "neighbor", "neighbour", "fiance", "fiancee",
    "girlfriend", "boyfriend", "partner", "spouse", "proxy", "guardian", "hcp", "sibling",
    "stepson", "stepdaughter", "son-in-law", "daughter-in-law", "brother-in-law",
    "sister-in-law", "grandchild", "granddaughters", "grandsons", "daughters", "sons",
    "sisters", "brothers", "companion", "caregiver", "roommate", "dtr", "wf", "hus", NULL};
static const char *const labels_patient[] = {"patient", "pt", "name", "patient name", "pt name", "resident", NULL};
static const char *const rel_fillers[] = {"is", "named", "name", "called", NULL};
static const char *const place_preps[] = {"at", "from", "to", "visited", NULL};
/* Words after a name that make it an eponym: "Wilson's disease". */
static const char *const eponym_next[] = {
    "disease", "syndrome", "sign", "test", "reflex", "procedure", "catheter", "tube", "esophagus",
    "phenomenon", "maneuver", "manoeuvre", "score", "criteria", "scale", "classification",
    "fracture", "palsy", "lymphoma", "sarcoma", "tumor", "tumour", "ulcer", "operation", "repair",
    "bag", "valve", "stockings", "solution", "hugger", "cath", "catheters", "line", "drain",
    "position", "law", "triad", "node", "nodes", "cells", "cell", "body", "bodies", "ring",
    "disorder", "anomaly", "ratio", "index", "formula", "method", "technique", "approach",
    "incision", "shunt", "filter", "pump", "splint", "boot", "boots", "mask", "tear", "tears", NULL};
static const char *const place_words[] = {"in", "at", "from", "to", "near", "our", "outside", "lives",
                                          "moved", "visiting", "resident", "downtown", NULL};

static const char *const and_words[] = {"and", NULL};
static const char *const visit_verbs[] = {"called", "visited", "visiting", "phoned", "calls", "visits", "visted",
                                          "visisted", "in", NULL};
static const char *const the_words[] = {"the", NULL};
/* "transferred to GH", "lives in catonsville": the next unknown word is a place. */
static const char *const transfer_verbs[] = {
    "transfer", "transferred", "transfered", "tx", "txd", "admitted", "admit", "adm", "sent",
    "referred", "taken", "went", "arrived", "presented", "go", "going", "discharged", "moved",
    "lives", "living", "resides", "returned", "return", "returning", "brought", "transported", NULL};
/* Weaker moving words: they mark a place for a single unknown word only. */
static const char *const moving_words[] = {"came", "come", "arrival", "followed", "enroute", "flown", "readmitted",
                                           "trans", "xfer", "xferred", "medflight", "medflighted", "comes",
                                           "seen", "treated", "visit", "visiting", NULL};
static const char *const loc_preps[] = {"to", "from", "at", "in", "into", NULL};
static const char *const facility_words[] = {"hospital", "hosp", "clinic", "rehab", "house", "center", "centre",
                                             "facility", "infirmary", "hospice", "regional", NULL};
/* Words that make "X hospital" generic, not a name. */
static const char *const facility_stops[] = {
    "outside", "another", "other", "local", "same", "general", "community", "nursing", "rehab", "acute",
    "psychiatric", "psych", "teaching", "private", "state", "county", "university", "va", "children's",
    "osh", "referring", "receiving", "home", "long", "term", "care", "day", "surgery", "cardiac", "rehabilitation",
    "treatment", "dialysis", "cancer", "health", "medical", "our", "your", "their", "nearest", "closest",
    "nearby", "different", "new", "old", "larger", "bigger", "smaller", "tertiary", "city", "main", "regional",
    "previous", "prior", "original", "first", "second", "animal", "sleep", "pain", "wound", "assisted",
    "living", "skilled", "extended", NULL};
/* Keyword lists by index: bit KW_x of a token's kw is set when the word is
 * in list x.  The bits are constants (list_bit), not looked up: the rules
 * test them on every token. */
enum {
    KW_function_words, KW_titles_clin, KW_titles_other, KW_credentials, KW_weak_credentials, KW_roles_before,
    KW_verbs_role, KW_verbs_after, KW_relatives, KW_labels_patient, KW_rel_fillers, KW_place_preps,
    KW_place_words, KW_eponym_next, KW_and_words, KW_visit_verbs, KW_the_words, KW_transfer_verbs,
    KW_moving_words, KW_loc_preps, KW_facility_words, KW_facility_stops, KW_cs_names_owners,
    KW_cs_names_introducers, KW_cs_names_stops, KW_cs_names_reporting, KW_cs_names_groups,
    KW_cs_names_greetings, KW_cs_names_contacts, KW_cs_names_roles, KW_cs_names_cues, KW_COUNT
};
/* a token's keyword mask is 32 bits: one per list */
_Static_assert(KW_COUNT <= 32, "at most 32 keyword lists");
static const char *const *const kw_lists[KW_COUNT + 1] = {
    [KW_function_words] = function_words, [KW_titles_clin] = titles_clin, [KW_titles_other] = titles_other,
    [KW_credentials] = credentials, [KW_weak_credentials] = weak_credentials, [KW_roles_before] = roles_before,
    [KW_verbs_role] = verbs_role, [KW_verbs_after] = verbs_after, [KW_relatives] = relatives,
    [KW_labels_patient] = labels_patient, [KW_rel_fillers] = rel_fillers, [KW_place_preps] = place_preps,
    [KW_place_words] = place_words, [KW_eponym_next] = eponym_next, [KW_and_words] = and_words,
    [KW_visit_verbs] = visit_verbs, [KW_the_words] = the_words, [KW_transfer_verbs] = transfer_verbs,
    [KW_moving_words] = moving_words, [KW_loc_preps] = loc_preps, [KW_facility_words] = facility_words,
    [KW_facility_stops] = facility_stops, [KW_cs_names_owners] = cs_names_owners,
    [KW_cs_names_introducers] = cs_names_introducers, [KW_cs_names_stops] = cs_names_stops,
    [KW_cs_names_reporting] = cs_names_reporting, [KW_cs_names_groups] = cs_names_groups,
    [KW_cs_names_greetings] = cs_names_greetings, [KW_cs_names_contacts] = cs_names_contacts,
    [KW_cs_names_roles] = cs_names_roles, [KW_cs_names_cues] = cs_names_cues,
    [KW_COUNT] = NULL};
#define list_bit(list) (1u << KW_##list)


static int is_alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int is_wordc(unsigned char c) { return is_alpha(c) || c >= 0x80; }


/* Tokens: words (letters, inner ' and -), numbers, single punctuation. */
static int tokenize(const cs_redactor *r, const char *t, size_t len, tok **out, size_t *n_out)
{
    size_t cap = 256, n = 0;
    tok *v = malloc(cap * sizeof *v);
    if (!v) return CS_ERR_NOMEM;
    int nl = 1;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)t[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { nl |= c == '\n'; i++; continue; }
        if (n == cap) {
            tok *p = realloc(v, (cap *= 2) * sizeof *v);
            if (!p) { free(v); return CS_ERR_NOMEM; }
            v = p;
        }
        tok k = {0};
        k.s = i;
        k.nl_before = (unsigned char)nl;
        nl = 0;
        if (is_wordc(c)) {
            size_t j = i + 1;
            while (j < len && (is_wordc((unsigned char)t[j]) ||
                               ((t[j] == '\'' || t[j] == '-') && j + 1 < len && is_wordc((unsigned char)t[j + 1]))))
                j++;
            if (j - i >= 4 && t[j - 2] == '-' && t[j - 1] >= 'A' && t[j - 1] <= 'Z' && j < len && t[j] == '.')
                j -= 2; /* "CARAFATE-W. MAROTTA": the initial is a token of its own */
            const char *hy1 = memchr(t + i, '-', j - i);
            if (hy1 && !(cs_kw_lookup(&r->kw, t + i, j - i) & list_bit(relatives))) { /* "DAUGHTER-KRISSY", "COPING-SISTER": the relative word is a token of its own */
                const char *hy2 = t + j;
                while (hy2 > hy1 && hy2[-1] != '-') hy2--;
                if (cs_kw_lookup(&r->kw, t + i, (size_t)(hy1 - (t + i))) & list_bit(relatives))
                    j = (size_t)(hy1 - t);
                else if (cs_kw_lookup(&r->kw, hy2, (size_t)(t + j - hy2)) & list_bit(relatives))
                    j = (size_t)(hy2 - 1 - t);
            }
            k.e = j;
            k.word = 1;
            int up = 0, lo = 0;
            for (size_t q = i; q < j; q++) {
                up += t[q] >= 'A' && t[q] <= 'Z';
                lo += t[q] >= 'a' && t[q] <= 'z';
            }
            k.upper = lo == 0 && up > 0;
            k.cap = t[i] >= 'A' && t[i] <= 'Z' && lo > 0;
            k.lower = t[i] >= 'a' && t[i] <= 'z';
            k.initial = j - i == 1 && k.upper;
            k.dict = cs_dict_lookup(&r->dict, t + i, j - i);
            k.kw = cs_kw_lookup(&r->kw, t + i, j - i);
            if (!k.kw && j - i > 3 && t[j - 2] == '\'' && (t[j - 1] | 32) == 's') /* "wife's name is Grace" */
                k.kw = cs_kw_lookup(&r->kw, t + i, j - i - 2) & list_bit(relatives);
            if (!k.dict && j - i > 3 && t[i + 1] == '\'') /* "O'Brien", "D'Amico": a surname */
                k.dict = cs_names_apostrophe(&r->dict, t + i, j - i);
            const char *hy = memchr(t + i, '-', j - i);
            if (hy && !k.dict && k.cap && hy + 2 < t + j && hy[1] >= 'A' && hy[1] <= 'Z' && hy[2] >= 'a' && hy[2] <= 'z' &&
                !memchr(hy + 1, '-', (size_t)(t + j - hy - 1))) { /* "Anne-Marie", "Smith-Jones": two name words */
                unsigned f1 = cs_dict_lookup(&r->dict, t + i, (size_t)(hy - (t + i)));
                unsigned f2 = cs_dict_lookup(&r->dict, hy + 1, (size_t)(t + j - hy - 1));
                if ((f1 & NAMEF) && (f2 & NAMEF) && !((f1 | f2) & (CS_W_MEDICAL | CS_W_EPONYM)))
                    k.dict = (f1 | f2) & (NAMEF | CS_W_COMMON);
            }
            if (hy && !(k.dict & (CS_W_FIRST | CS_W_LAST)) &&   /* "A-FIB", "AWARE-ORDER": a word, */
                !(hy + 1 < t + j && hy[1] >= 'A' && hy[1] <= 'Z' && hy[2] >= 'a' && hy[2] <= 'z')) { /* not "Cedars-Sinai" */
                unsigned f = cs_dict_lookup(&r->dict, t + i, (size_t)(hy - (t + i)));
                if (f & (CS_W_COMMON | CS_W_MEDICAL)) k.dict |= CS_W_COMMON;
            }
        } else if (c >= '0' && c <= '9') {
            size_t j = i + 1;
            while (j < len && ((t[j] >= '0' && t[j] <= '9') || is_alpha((unsigned char)t[j]))) j++;
            k.e = j;
        } else {
            k.e = i + 1;
        }
        v[n++] = k;
        i = k.e;
    }
    /* Per line: is it written in capitals (most ICU notes are)? */
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && !v[b].nl_before) b++;
        size_t up = 0, lo = 0;
        for (size_t q = v[a].s; q < v[b - 1].e; q++) {
            up += t[q] >= 'A' && t[q] <= 'Z';
            lo += t[q] >= 'a' && t[q] <= 'z';
        }
        for (size_t q = a; q < b; q++) v[q].caps_line = lo * 5 < up;
        a = b;
    }
    *out = v;
    *n_out = n;
    return CS_OK;
}

/* ------------------------------------------------------------ word classes */


static int punct(const char *t, const tok *k, char c) { return cs_tok_punct(t, k, c); }

/* Unknown or name word that cannot be an English/medical word: the kind a
 * context rule (title, credential) may take. */
static int plausible(const char *t, const tok *k)
{
    (void)t;
    if (!k->word || k->e - k->s < 2) return 0;
    if ((k->kw & list_bit(function_words))) return 0;
    if (!(k->dict & (CS_W_COMMON | CS_W_MEDICAL))) return 1; /* eponyms are surnames too */
    /* Dictionary names that are also words (White, Will) count when
     * written as a name. */
    return (k->dict & NAMEF) && (k->cap || (k->upper && !k->caps_line));
}

/* After a clinician's title nearly any word is a name ("dr. brown",
 * "DR. KNIGHT"); only function words and pure medical words are not. */
static int after_title(const char *t, const tok *k)
{
    (void)t;
    if (!k->word || k->e - k->s < 2) return 0;
    if ((k->kw & list_bit(function_words))) return 0;
    return !(k->dict & CS_W_MEDICAL) || (k->dict & NAMEF);
}

/* A name by the dictionary alone: a first name or surname that is no
 * English or medical word. */
static int strong(const tok *k)
{
    return k->word && k->e - k->s >= 3 && (k->dict & NAMEF) && !(k->dict & NOTNAME);
}

static int is_initial_dot(const char *t, const tok *v, size_t n, size_t i) { return cs_tok_initial_dot(t, v, n, i); }

static int add_name(cs_span_list *out, size_t s, size_t e, cs_phi_source src, cs_phi_role role)
{
    return cs_spans_add(out, s, e, CS_PHI_NAME, src, role);
}

/* Take a name starting at token i: up to max words that are plausible
 * names or initials ("J."), with at most one comma ("Smith, John").
 * Returns the number of tokens consumed (0 = no name). Each word becomes its
 * own span so the surrounding punctuation stays. */
static size_t take_name_x(const char *t, const tok *v, size_t n, size_t i, int max, int loose,
                          cs_phi_source src, cs_phi_role role, cs_span_list *out, int *rc)
{
    size_t j = i;
    int words = 0, named = 0;
    while (j < n && words < max) {
        if (j > i && v[j].nl_before) break;
        if (is_initial_dot(t, v, n, j)) {
            *rc = add_name(out, v[j].s, v[j + 1].e, src, role);
            j += 2;
            words++;
            continue;
        }
        if (v[j].initial && j > i && named && j + 1 < n && !v[j + 1].nl_before && plausible(t, &v[j + 1])) { /* "Carol M Smith" */
            *rc = add_name(out, v[j].s, v[j].e, src, role);
            j++;
            words++;
            continue;
        }
        if (!plausible(t, &v[j]) && !(loose && !named && after_title(t, &v[j])) &&
            !(loose && named && v[j].cap && !v[j].caps_line && v[j - 1].cap && !(v[j].dict & CS_W_MEDICAL) &&
              !(v[j].kw & list_bit(function_words))))   /* "Dr Ferdinand Halfpenny" */
            break;
        if (j + 1 < n && punct(t, &v[j + 1], ':')) break; /* the next label ("MRN:") */
        *rc = add_name(out, v[j].s, v[j].e, src, role);
        named = 1;
        j++;
        words++;
    }
    if (!named) return 0;
    return j - i;
}

static size_t take_name(const char *t, const tok *v, size_t n, size_t i, int max,
                        cs_phi_source src, cs_phi_role role, cs_span_list *out, int *rc)
{
    return take_name_x(t, v, n, i, max, 0, src, role, out, rc);
}

/* Is token k a word of keyword list `list` (a list's name, see KW_*)? */
#define tok_is(t, k, list) ((void)(t), (k)->word && ((k)->kw & list_bit(list)))


/* "St", "Mt", "Saint": the start of a hospital's name, no place alone. */
static int is_saint(const char *t, const tok *k)
{
    return lower_eq(t + k->s, k->e - k->s, "st") || lower_eq(t + k->s, k->e - k->s, "mt") ||
           lower_eq(t + k->s, k->e - k->s, "saint");
}

/* End of place token q, with a ward number written onto it ("QUARTERMAIN7"). */
static size_t ward_end(const char *t, const tok *v, size_t n, size_t q)
{
    if (q + 1 < n && !v[q + 1].word && v[q + 1].s == v[q].e && v[q + 1].e - v[q + 1].s <= 2 &&
        t[v[q + 1].s] >= '0' && t[v[q + 1].s] <= '9')
        return v[q + 1].e;
    return v[q].e;
}

/* ------------------------------------------------------------ the rules */

int cs_context_is_plain_word(const cs_redactor *r, const char *w, size_t n);

int cs_context_find(const cs_redactor *r, const char *t, size_t len, cs_span_list *out)
{
    tok *v;
    size_t n;
    size_t n0 = out->n;
    int rc = tokenize(r, t, len, &v, &n);
    if (rc != CS_OK) return rc;
    for (size_t i = 0; i < n && rc == CS_OK; i++) {
        const tok *k = &v[i];
        if (!k->word) continue;
        size_t j = i + 1;
        /* titles: Dr. X, Mrs X */
        int clin = tok_is(t, k, titles_clin), other = !clin && tok_is(t, k, titles_other);
        if (other && lower_eq(t + k->s, k->e - k->s, "ms") && !k->cap)
            other = 0; /* "MS" is mental status or multiple sclerosis */
        if (clin || other) {
            if (j < n && punct(t, &v[j], '.')) j++;
            if (j < n && !v[j].nl_before) {
                size_t used = take_name_x(t, v, n, j, 3, 1, CS_SRC_CONTEXT,
                                          clin ? CS_ROLE_CLINICIAN : CS_ROLE_UNKNOWN, out, &rc);
                if (used) {
                    size_t z = j + used; /* "Drs Ferullo and Saeed" */
                    if (clin && z + 1 < n && (tok_is(t, &v[z], and_words) || punct(t, &v[z], '&')) &&
                        !v[z + 1].nl_before && plausible(t, &v[z + 1]) && !tok_is(t, &v[z + 1], titles_clin) &&
                        !tok_is(t, &v[z + 1], titles_other))
                        z += 1 + take_name(t, v, n, z + 1, 2, CS_SRC_CONTEXT, CS_ROLE_CLINICIAN, out, &rc);
                    i = z - 1;
                    continue;
                }
            }
        }
        /* "ST. MARY", "St Agnes": a saint's name is a hospital's */
        if (is_saint(t, k) && (k->upper || k->cap)) {
            size_t q = j;
            if (q < n && punct(t, &v[q], '.')) q++;
            if (q > j && q < n && !v[q].nl_before && v[q].word && (v[q].upper || v[q].cap) && v[q].e - v[q].s >= 3 &&
                (v[q].dict & NAMEF) && !(v[q].dict & (CS_W_MEDICAL | CS_W_COMMON))) {
                rc = cs_spans_add(out, k->s, v[q].e, CS_PHI_FACILITY, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
                i = q;
                continue;
            }
        }
        /* credentials after a name: "Jean Hudson, RN" */
        int line_end = j >= n || v[j].nl_before;
        if (tok_is(t, k, credentials) && (k->upper || k->cap || line_end) && i > 0) {
            size_t b = i;
            if (b > 0 && punct(t, &v[b - 1], ',')) b--;
            size_t a = b;
            int words = 0, strongs = 0, inits = 0;
            while (a > 0 && words < 3 && !v[a].nl_before) {
                const tok *p = &v[a - 1];
                if (punct(t, p, '.') && a >= 2 && v[a - 2].word && v[a - 2].e - v[a - 2].s == 1) { a -= 2; words++; inits++; continue; }
                if (p->initial) { a--; words++; inits++; continue; }
                /* "Q. LANDER RRT": after an initial, a word that is also English */
                int after_init = a >= 3 && p->word && p->e - p->s >= 3 && !(p->dict & CS_W_MEDICAL) &&
                                 !(p->kw & list_bit(function_words)) && punct(t, &v[a - 2], '.') &&
                                 v[a - 3].word && v[a - 3].e - v[a - 3].s == 1 && !tok_is(t, k, weak_credentials);
                if (!plausible(t, p) && !after_init) break;
                strongs += strong(p) || !(p->dict & NOTNAME) || after_init;
                a--;
                words++;
                if (v[a].nl_before) break;
            }
            if (a >= 2 && a < b && !v[a].nl_before && !v[a - 1].nl_before && v[a - 1].word &&
                (v[a - 1].dict & CS_W_FIRST) && !(v[a - 1].dict & CS_W_MEDICAL) && tok_is(t, &v[a - 2], verbs_role))
                a--, words++; /* "PER WARREN KAVALIUNAS NP": a first name that is also a word */
            int dictn = 0;
            for (size_t q = a; q < b; q++) dictn += strong(&v[q]);
            int weak = tok_is(t, k, weak_credentials);
            const char *hy = words == 1 ? memchr(t + v[a].s, '-', v[a].e - v[a].s) : NULL;
            int barrelled = hy && v[a].cap && !v[a].caps_line && hy[1] >= 'A' && hy[1] <= 'Z'; /* "Stord-Painter MD" */
            int ok = words >= 2 ? (strongs >= 1) : (words == 1 && strongs == 1 && (strong(&v[a]) || barrelled));
            int all_title = 1;
            for (size_t q = a; q < b; q++) all_title &= !v[q].word || (v[q].cap && !v[q].caps_line);
            int reported = a > 0 && a < b && !v[a].nl_before && tok_is(t, &v[a - 1], verbs_role);
            if (weak && !dictn && !all_title && !reported) ok = 0;
            if (ok && strongs + inits >= 1) {
                for (size_t q = a; q < b && rc == CS_OK; q++) {
                    if (v[q].word) {
                        size_t e = v[q].e;
                        if (v[q].e - v[q].s == 1 && q + 1 < b && punct(t, &v[q + 1], '.')) e = v[q + 1].e;
                        rc = add_name(out, v[q].s, e, CS_SRC_CONTEXT, CS_ROLE_CLINICIAN);
                    }
                }
                continue;
            }
        }
        /* roles and verbs before a name: "seen by Dr", "per Smith", "NP Carol" */
        if (tok_is(t, k, roles_before) && j < n && !v[j].nl_before) {
            size_t q = j;
            if (q < n && punct(t, &v[q], '.')) q++;
            int role_word = !tok_is(t, k, verbs_role);
            if (q < n && !v[q].nl_before &&
                (strong(&v[q]) || is_initial_dot(t, v, n, q) ||
                 (role_word && (v[q].dict & CS_W_FIRST) && (v[q].cap || v[q].upper) &&
                  !(v[q].kw & list_bit(function_words))) ||
                 (role_word && v[q].cap && !v[q].caps_line && !v[q].dict && v[q].e - v[q].s >= 3 &&  /* "per md Saeed" */
                  !(v[q].kw & list_bit(function_words))))) {
                size_t used = take_name(t, v, n, q, 3, CS_SRC_CONTEXT, CS_ROLE_CLINICIAN, out, &rc);
                if (!used && rc == CS_OK) { /* "NP CAROL": a first name that is also a word */
                    rc = add_name(out, v[q].s, v[q].e, CS_SRC_CONTEXT, CS_ROLE_CLINICIAN);
                    used = 1 + take_name(t, v, n, q + 1, 2, CS_SRC_CONTEXT, CS_ROLE_CLINICIAN, out, &rc);
                }
                i = q + used - 1;
                continue;
            }
        }
        /* "D. Phyl", "J. Chang PA": an initial and a capitalised unknown word */
        if (is_initial_dot(t, v, n, i) && i + 2 < n && !v[i + 2].nl_before && v[i + 2].word &&
            (v[i + 2].cap || v[i + 2].upper) && v[i + 2].e - v[i + 2].s >= 3 &&
            !(v[i + 2].dict & (CS_W_COMMON | CS_W_MEDICAL)) && !(v[i + 2].kw & list_bit(function_words)) &&
            !(i + 3 < n && v[i + 3].s == v[i + 2].e && !punct(t, &v[i + 3], '.') && !punct(t, &v[i + 3], ',')) &&
            !(i > 0 && (tok_is(t, &v[i - 1], titles_clin) || tok_is(t, &v[i - 1], titles_other)))) {
            rc = add_name(out, v[i].s, v[i + 1].e, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
            if (rc == CS_OK) rc = add_name(out, v[i + 2].s, v[i + 2].e, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
            i += 2;
            continue;
        }
        /* "W. MAROTTA AWARE": initial + surname before a reporting verb */
        if (is_initial_dot(t, v, n, i) && i + 2 < n && v[i + 2].word && !(v[i + 2].dict & (CS_W_COMMON | CS_W_MEDICAL)) &&
            v[i + 2].e - v[i + 2].s >= 2 && i + 3 < n && tok_is(t, &v[i + 3], verbs_after)) {
            rc = add_name(out, v[i].s, v[i + 1].e, CS_SRC_CONTEXT, CS_ROLE_CLINICIAN);
            if (rc == CS_OK) rc = add_name(out, v[i + 2].s, v[i + 2].e, CS_SRC_CONTEXT, CS_ROLE_CLINICIAN);
            i += 2;
            continue;
        }
        /* "Hank Przybylo (son)": the name before a relation in brackets */
        if (tok_is(t, k, relatives) && i >= 2 && punct(t, &v[i - 1], '(') && j < n && punct(t, &v[j], ')')) {
            size_t a = i - 1, words = 0;
            while (a > 0 && words < 3 && v[a - 1].word && (v[a - 1].cap || v[a - 1].upper) && v[a - 1].e - v[a - 1].s >= 2 &&
                   !(v[a - 1].dict & (CS_W_MEDICAL | CS_W_EPONYM)) && !(v[a - 1].kw & list_bit(function_words)) &&
                   !tok_is(t, &v[a - 1], relatives) && !(v[a - 1].caps_line && (v[a - 1].dict & CS_W_COMMON))) {
                a--;
                words++;
                if (v[a].nl_before) break;
            }
            for (size_t q = a; q < i - 1 && rc == CS_OK; q++)
                rc = add_name(out, v[q].s, v[q].e, CS_SRC_CONTEXT, CS_ROLE_RELATIVE);
        }
        /* relatives: "daughter Thelma", "Niece, Patricia WAITE" */
        if (tok_is(t, k, relatives)) {
            size_t q = j;
            while (q < n && (punct(t, &v[q], ',') || punct(t, &v[q], '-') || punct(t, &v[q], ':') ||
                             punct(t, &v[q], '(') || tok_is(t, &v[q], rel_fillers)) && q < j + 3)
                q++;
            if (q < n && !v[q].nl_before && v[q].word && v[q].e - v[q].s >= 2 && !tok_is(t, &v[q], relatives) &&
                (strong(&v[q]) || ((v[q].dict & CS_W_FIRST) && !(v[q].kw & list_bit(function_words))) ||
                 (!(v[q].dict & (CS_W_COMMON | CS_W_MEDICAL | CS_W_EPONYM)) && v[q].e - v[q].s >= 3 &&
                  (v[q].cap || v[q].upper || q + 1 >= n || v[q + 1].nl_before || !v[q + 1].word) &&
                  !(v[q].kw & list_bit(function_words)) && !tok_is(t, &v[q], titles_clin) &&
                  !tok_is(t, &v[q], visit_verbs)))) { /* "husband visisted" */
                rc = add_name(out, v[q].s, v[q].e, CS_SRC_CONTEXT, CS_ROLE_RELATIVE);
                size_t z = q + 1;
                if (z < n && rc == CS_OK && !v[z].nl_before && v[z].word &&
                    (strong(&v[z]) || (!(v[z].dict & (CS_W_COMMON | CS_W_MEDICAL)) && v[z].e - v[z].s >= 3) || /* "MARY MURPHY" */
                     ((v[z].dict & NAMEF) && v[z].cap && !v[z].caps_line && !(v[z].kw & list_bit(function_words)))))
                    rc = add_name(out, v[z].s, v[z].e, CS_SRC_CONTEXT, CS_ROLE_RELATIVE), z++;
                /* "Sons Smokey, Morris and Roger": more first names in a list */
                while (rc == CS_OK && z + 1 < n && !v[z + 1].nl_before &&
                       (punct(t, &v[z], ',') || tok_is(t, &v[z], and_words)) && v[z + 1].word &&
                       (v[z + 1].dict & CS_W_FIRST) && !(v[z + 1].dict & (CS_W_MEDICAL | CS_W_EPONYM)) &&
                       (v[z + 1].cap || (v[z + 1].upper && !(v[z + 1].dict & CS_W_COMMON))) &&
                       !(v[z + 1].kw & list_bit(function_words)) && !tok_is(t, &v[z + 1], relatives)) {
                    rc = add_name(out, v[z + 1].s, v[z + 1].e, CS_SRC_CONTEXT, CS_ROLE_RELATIVE);
                    z += 2;
                }
                i = z - 1;
                continue;
            }
        }
        /* labels: "Patient: John Smith", "Name: SMITH, JOHN" */
        if (tok_is(t, k, labels_patient) && j < n && punct(t, &v[j], ':')) {
            size_t q = j + 1;
            if (q < n && !v[q].nl_before) {
                size_t used = take_name(t, v, n, q, 4, CS_SRC_CONTEXT, CS_ROLE_PATIENT, out, &rc);
                if (used && q + used < n && punct(t, &v[q + used], ',') && !v[q + used + 1 < n ? q + used + 1 : q].nl_before)
                    used += 1 + take_name(t, v, n, q + used + 1, 2, CS_SRC_CONTEXT, CS_ROLE_PATIENT, out, &rc);
                if (used) { i = q + used - 1; continue; }
            }
        }
        /* multi-word places first ("San Diego", "New York City") */
        if ((k->cap || k->upper) && (k->dict & CS_W_PLACE_HEAD) && !(k->caps_line && k->e - k->s < 3)) {
            size_t best = 0;
            for (size_t w = 3; w >= 2 && !best; w--) {
                if (i + w - 1 >= n) continue;
                size_t a = v[i].s, b = v[i + w - 1].e;
                if (b - a > 40) continue;
                int okw = 1;
                for (size_t q = i; q < i + w; q++) okw &= v[q].word && (v[q].cap || v[q].upper) && (q == i || !v[q].nl_before);
                if (!okw) continue;
                char buf[48];
                size_t m = 0;
                for (size_t q = i; q < i + w; q++) {
                    if (q > i) buf[m++] = ' ';
                    memcpy(buf + m, t + v[q].s, v[q].e - v[q].s);
                    m += v[q].e - v[q].s;
                }
                if (cs_dict_lookup(&r->dict, buf, m) & CS_W_PLACE) best = w;
            }
            if (best) {
                rc = cs_spans_add(out, v[i].s, v[i + best - 1].e, CS_PHI_LOCATION, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN);
                i += best - 1;
                continue;
            }
        }
        /* dictionary names */
        if ((k->dict & CS_W_LAST) && k->cap && !k->caps_line && !(k->dict & CS_W_MEDICAL) &&
            is_initial_dot(t, v, n, j) && !v[j].nl_before && i > 0 && punct(t, &v[i - 1], ',')) {
            rc = add_name(out, k->s, k->e, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN); /* ", Smith J.," */
            if (rc == CS_OK) rc = add_name(out, v[j].s, v[j + 1].e, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN);
            i = j + 1;
            continue;
        }
        if (j < n && !v[j].nl_before && (tok_is(t, &v[j], eponym_next) ||
                                         (j + 1 < n && !v[j + 1].nl_before && tok_is(t, &v[j + 1], eponym_next))))
            continue; /* "Wilson's disease", "Passy Muir valve" */
        if (k->e - k->s > 2 && t[k->e - 2] == '\'' && j < n && v[j].word && v[j].lower && !k->caps_line)
            continue; /* "Barrett's esophagus" */
        int sent_start = i == 0 || k->nl_before || punct(t, &v[i - 1], '.') || punct(t, &v[i - 1], ':') ||
                         punct(t, &v[i - 1], '!') || punct(t, &v[i - 1], '?');
        int next_namey = j < n && !v[j].nl_before &&
                         (strong(&v[j]) || is_initial_dot(t, v, n, j) || (v[j].cap && plausible(t, &v[j])));
        if (strong(k) && !k->caps_line && k->cap && (next_namey || ((k->dict & CS_W_FIRST) && !sent_start))) {
            size_t used = take_name(t, v, n, i, 3, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN, out, &rc);
            if (used) { i += used - 1; continue; }
        }
        if ((k->dict & CS_W_FIRST) && !(k->dict & CS_W_MEDICAL) && k->cap && !k->caps_line && j < n &&
            !v[j].nl_before && !(k->kw & list_bit(function_words)) &&
            ((v[j].cap && (v[j].dict & CS_W_LAST) && !(v[j].dict & CS_W_MEDICAL)) || strong(&v[j]) ||
             is_initial_dot(t, v, n, j))) { /* "Will Smith", "Hope S." */
            size_t used = take_name(t, v, n, i, 3, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN, out, &rc);
            if (used) { i += used - 1; continue; }
        }
        if (strong(k) && (k->dict & CS_W_FIRST) && (k->caps_line || k->lower) && j < n && !v[j].nl_before &&
            v[j].word && v[j].e - v[j].s >= 3 && !(v[j].dict & (CS_W_COMMON | CS_W_MEDICAL)) && (v[j].upper == k->upper)) {
            rc = add_name(out, k->s, k->e, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN);
            if (rc == CS_OK) rc = add_name(out, v[j].s, v[j].e, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN);
            if ((v[j].dict & CS_W_FIRST) && j + 1 < n && !v[j + 1].nl_before && v[j + 1].word && /* "KAREN ANN YANULIS" */
                v[j + 1].e - v[j + 1].s >= 3 && !(v[j + 1].dict & NOTNAME) && v[j + 1].upper == k->upper &&
                !(v[j + 1].kw & list_bit(function_words)) && rc == CS_OK)
                rc = add_name(out, v[j + 1].s, v[j + 1].e, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN), j++;
            i = j;
            continue;
        }
        /* "social: bob visited", "and george called", "Roger in to visit":
         * a first name at the start of a clause, before a visiting verb */
        if ((k->dict & CS_W_FIRST) && !(k->dict & (CS_W_MEDICAL | CS_W_EPONYM)) && k->e - k->s >= 3 &&
            !(k->kw & list_bit(function_words)) && !tok_is(t, k, relatives) && (k->cap || k->upper || k->lower) &&
            j < n && !v[j].nl_before && tok_is(t, &v[j], visit_verbs) &&
            (!lower_eq(t + v[j].s, v[j].e - v[j].s, "in") || (j + 1 < n && lower_eq(t + v[j + 1].s, v[j + 1].e - v[j + 1].s, "to"))) &&
            (i == 0 || k->nl_before || !v[i - 1].word || tok_is(t, &v[i - 1], and_words)) &&
            (k->cap || k->upper == k->caps_line)) {
            rc = add_name(out, k->s, k->e, CS_SRC_CONTEXT, CS_ROLE_RELATIVE);
            continue;
        }
        /* "consult with patty hoeller", "MARTIN CAREY": a first name that is
         * also a word, then a surname that is none, in the same case */
        if ((k->dict & CS_W_FIRST) && !(k->dict & (CS_W_MEDICAL | CS_W_EPONYM)) && k->e - k->s >= 3 &&
            (k->caps_line || k->lower) && !(k->kw & list_bit(function_words)) && !tok_is(t, k, relatives) &&
            j < n && !v[j].nl_before && v[j].word && v[j].e - v[j].s >= 4 && (v[j].dict & CS_W_LAST) &&
            !memchr(t + v[j].s, '\'', v[j].e - v[j].s) &&
            !(j + 1 < n && !v[j + 1].nl_before && tok_is(t, &v[j + 1], eponym_next)) &&
            !(v[j].dict & NOTNAME) && v[j].upper == k->upper && !(v[j].kw & list_bit(function_words))) {
            rc = add_name(out, k->s, k->e, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN);
            if (rc == CS_OK) rc = add_name(out, v[j].s, v[j].e, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN);
            i = j;
            continue;
        }
        /* single-word places */
        int of_person = (k->dict & CS_W_PLACE) && k->cap && i >= 2 && lower_eq(t + v[i - 1].s, v[i - 1].e - v[i - 1].s, "of") && v[i - 2].word &&
                        v[i - 2].cap && !v[i - 2].caps_line && (v[i - 2].dict & NAMEF) &&
                        !(v[i - 2].dict & (CS_W_COMMON | CS_W_MEDICAL)); /* "Grace of Reisterstown" */
        int lower_town = (k->dict & CS_W_PLACE) && k->lower && !k->caps_line && k->e - k->s >= 6 && !(k->dict & NAMEF) &&
                         i > 0 && tok_is(t, &v[i - 1], loc_preps); /* "lives nearby in rockport" */
        if ((k->dict & CS_W_PLACE) && !(k->dict & NOTNAME) && k->e - k->s >= 4 &&
            ((k->cap && of_person) ||
             ((k->cap || (k->upper && (!k->caps_line || !(k->dict & NAMEF))) || lower_town) && i > 0 &&
              tok_is(t, &v[i - 1], place_words)))) {
            rc = cs_spans_add(out, k->s, k->e, CS_PHI_LOCATION, CS_SRC_DICTIONARY, CS_ROLE_UNKNOWN);
            continue;
        }
        /* "TRANSFER QUARTERMAIN 2", "per Quartermain 3 RN": a word no list
         * knows with a ward number, after a moving or reporting word */
        if ((tok_is(t, k, transfer_verbs) || tok_is(t, k, verbs_role)) && j + 1 < n && !v[j].nl_before &&
            v[j].word && (v[j].upper || v[j].cap) && v[j].e - v[j].s >= 5 &&
            !(v[j].dict & (CS_W_COMMON | CS_W_MEDICAL | CS_W_EPONYM | CS_W_FIRST)) &&
            !cs_context_is_plain_word(r, t + v[j].s, v[j].e - v[j].s) && !v[j + 1].word && !v[j + 1].nl_before &&
            v[j + 1].e - v[j + 1].s == 1 && t[v[j + 1].s] >= '1' && t[v[j + 1].s] <= '9' &&
            !(j + 3 < n && v[j + 2].s == v[j + 1].e && (t[v[j + 2].s] == '/' || t[v[j + 2].s] == '.') &&
              v[j + 3].s == v[j + 2].e && t[v[j + 3].s] >= '0' && t[v[j + 3].s] <= '9')) { /* not "2.5", "2/3" */
            rc = cs_spans_add(out, v[j].s, v[j].e, CS_PHI_LOCATION, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
            i = j;
            continue;
        }
        /* "transferred to GH", "lives in catonsville", "ADM FROM QUARTERMAIN":
         * after a moving verb and a preposition, unknown words are a place
         * (ICU, ED, floor, OR are medical or common words, not places). */
        if (tok_is(t, k, transfer_verbs) && j + 1 < n && tok_is(t, &v[j], loc_preps) && !v[j].nl_before) {
            size_t q = j + 1;
            if (tok_is(t, &v[q], the_words)) q++;
            size_t a = q;
            while (q < n && q < a + 2 && !v[q].nl_before && v[q].word && v[q].e - v[q].s >= 2 &&
                   !(v[q].dict & (CS_W_COMMON | CS_W_MEDICAL)) && !(v[q].kw & list_bit(function_words)) &&
                   !tok_is(t, &v[q], titles_clin) && !tok_is(t, &v[q], titles_other) && !is_saint(t, &v[q]))
                q++;
            if (q > a) {
                size_t e = ward_end(t, v, n, q - 1);
                if (q < n && !v[q].nl_before && lower_eq(t + v[q].s, v[q].e - v[q].s, "rehab") && (v[q].cap || v[q].upper))
                    e = v[q].e, q++; /* "TRANSFER TO BALTIMORE REHAB": the rehabilitation hospital's name */
                rc = cs_spans_add(out, v[a].s, e, CS_PHI_LOCATION, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
                i = q - 1;
                continue;
            }
        }
        /* "SENT TO ED AT GH.", "came to gh w/pt", "TO QUARTERMAIN 2": a word
         * no dictionary knows after a place preposition, ending the phrase
         * (punctuation, a ward number, a facility word or the line's end) */
        if (tok_is(t, k, loc_preps) && j < n && !v[j].nl_before) {
            size_t q = j;
            if (tok_is(t, &v[q], the_words) && q + 1 < n && !v[q + 1].nl_before) q++;
            const tok *w = &v[q];
            size_t z = q + 1;
            if (!w->word || (w->dict & (CS_W_MEDICAL | CS_W_EPONYM)) || ((w->dict & CS_W_COMMON) && !w->cap))
                goto no_place; /* most words after a preposition: nothing to do */
            int in = lower_eq(t + k->s, k->e - k->s, "in");
            int moved = 0; /* a moving verb shortly before: "SENT TO ED AT GH" */
            for (size_t b = i; b > 0 && b + 4 > i && !moved; b--) {
                moved = tok_is(t, &v[b - 1], transfer_verbs) || tok_is(t, &v[b - 1], moving_words);
                if (v[b].nl_before) break;
            }
            int facility = z < n && !v[z].nl_before && tok_is(t, &v[z], facility_words);
            int ward = z < n && !v[z].nl_before && !v[z].word && t[v[z].s] >= '1' && t[v[z].s] <= '9' &&
                       v[z].e - v[z].s <= 2 && w->e - w->s >= 5 && (w->upper || w->cap) && !in;
            int ends = z >= n || v[z].nl_before || (!v[z].word && !(t[v[z].s] >= '0' && t[v[z].s] <= '9')) || facility;
            int unknown = !(w->dict & (CS_W_COMMON | CS_W_MEDICAL | CS_W_EPONYM));
            /* "came into GH on 7/18", "TRANS TO GH 7/23": after a moving verb, a
             * short acronym no list knows, before a date, a hospital area or a
             * small word (without the verb, "TO RCA", "to tol" are shorthand) */
            int after = z >= n || v[z].nl_before || !v[z].word || (v[z].dict & CS_W_MEDICAL) ||
                        (v[z].kw & list_bit(function_words)) || tok_is(t, &v[z], loc_preps);
            int acronym = moved && !w->dict && w->e - w->s <= 4 && after && !in && (w->upper || (w->lower && !w->caps_line));
            int titled = moved && !in && w->cap && !w->caps_line && !(w->dict & (CS_W_MEDICAL | CS_W_EPONYM)) &&
                         w->e - w->s >= 3; /* "went to Harbor on 3/6" */
            if (w->word && w->e - w->s >= 2 && w->e - w->s <= 15 && !is_saint(t, w) &&
                (titled || acronym || (unknown && ((moved && ends && !in) || facility || ward))) &&
                !cs_context_is_plain_word(r, t + w->s, w->e - w->s) &&
                (w->upper || w->cap || (w->lower && !w->dict && !w->caps_line))) {
                /* no skip: the facility and proper-name rules below may take
                 * a longer name from the same preposition */
                rc = cs_spans_add(out, w->s, ward_end(t, v, n, q), CS_PHI_LOCATION, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
            }
        }
    no_place:
        /* "to sacred heart hospital", "from the KEELEY HOUSE": words between
         * a preposition and a facility word, in any case */
        if (tok_is(t, k, loc_preps) && j < n && !v[j].nl_before) {
            size_t q = j;
            if (tok_is(t, &v[q], the_words)) q++;
            size_t a = q;
            while (q < n && q < a + 3 && !v[q].nl_before && v[q].word && !(v[q].kw & list_bit(function_words)) &&
                   !tok_is(t, &v[q], facility_words))
                q++;
            if (q > a && q < n && !v[q].nl_before && tok_is(t, &v[q], facility_words)) {
                int unknown = 0, plain = 0, stop = 0;
                for (size_t z = a; z < q; z++) {
                    unknown |= !(v[z].dict & (CS_W_COMMON | CS_W_MEDICAL));
                    plain += !(v[z].dict & CS_W_MEDICAL);
                    stop |= tok_is(t, &v[z], facility_stops);
                }
                /* "TO UNION HOSPITAL": one plain word written as a name */
                int moved = !lower_eq(t + k->s, k->e - k->s, "to"); /* "to LEAVE hospital" */
                for (size_t b = i; b > 0 && b + 4 > i && !moved; b--) {
                    moved = tok_is(t, &v[b - 1], transfer_verbs) || tok_is(t, &v[b - 1], moving_words);
                    if (v[b].nl_before) break;
                }
                int named = q - a == 1 && plain && moved && (v[a].cap || v[a].upper) && v[a].e - v[a].s >= 4;
                if (!stop && (unknown || (q - a >= 2 && plain) || named)) {
                    /* the name, not the generic word after it; "Baltimore Rehab"
                     * is a rehabilitation hospital's whole name */
                    int whole = lower_eq(t + v[q].s, v[q].e - v[q].s, "rehab") && (v[q].cap || v[q].upper) &&
                                (v[q - 1].cap || v[q - 1].upper);
                    rc = cs_spans_add(out, v[a].s, v[whole ? q : q - 1].e, CS_PHI_FACILITY, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
                    i = q;
                    continue;
                }
            }
        }
        /* "treated at Cedar Crest", "from UCSF": a proper name after a place
         * preposition in mixed-case text */
        if (tok_is(t, k, place_preps) && k->lower && !k->caps_line && j < n && !v[j].nl_before) {
            size_t q = j;
            if (q < n && tok_is(t, &v[q], the_words)) q++;
            size_t a = q;
            if (q < n && (v[q].dict & CS_W_PLACE) && !(v[q].dict & NOTNAME) && v[q].e - v[q].s >= 4 &&
                !(q + 1 < n && !v[q + 1].nl_before && v[q + 1].cap))
                continue; /* a city alone: the place rule takes it */
            if (q + 1 < n && (v[q].dict & CS_W_FIRST) && !(v[q].dict & (CS_W_PLACE | CS_W_MEDICAL)) && v[q].cap &&
                !v[q + 1].nl_before && (is_initial_dot(t, v, n, q + 1) || v[q + 1].initial ||
                                        (v[q + 1].cap && (v[q + 1].dict & CS_W_LAST))))
                continue; /* "prescribed to Jane D.": a person; the name rules take it */
            if (q + 1 < n && v[q].word && (v[q].dict & CS_W_PLACE_HEAD) && v[q + 1].word && v[q + 1].e - v[q].s < 40) {
                char buf[48];
                size_t m = v[q].e - v[q].s;
                memcpy(buf, t + v[q].s, m);
                buf[m++] = ' ';
                memcpy(buf + m, t + v[q + 1].s, v[q + 1].e - v[q + 1].s);
                m += v[q + 1].e - v[q + 1].s;
                if (cs_dict_lookup(&r->dict, buf, m) & CS_W_PLACE) continue;
            }
            while (q < n && q < a + 4 && !v[q].nl_before && v[q].word && !tok_is(t, &v[q], titles_clin) &&
                   !tok_is(t, &v[q], titles_other) &&
                   (v[q].cap || (v[q].upper && v[q].e - v[q].s >= 3 && lower_eq(t + k->s, k->e - k->s, "at") &&
                                 !(v[q].dict & (CS_W_MEDICAL | CS_W_COMMON)))))
                q++;
            if (q > a) {
                int unknown = 0, medical = 0;
                for (size_t z = a; z < q; z++) {
                    unknown |= !(v[z].dict & (CS_W_MEDICAL | CS_W_COMMON));
                    medical |= (v[z].dict & CS_W_MEDICAL) != 0;
                }
                if (unknown || (q - a >= 2 && !medical))
                    rc = cs_spans_add(out, v[a].s, v[q - 1].e, CS_PHI_FACILITY, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
                i = q - 1;
                continue;
            }
        }
    }
    if (rc == CS_OK) rc = cs_names_find(r, t, v, n, out);
    cs_names_trim_possessive(t, out, n0);
    free(v);
    return rc;
}

int cs_context_is_plain_word(const cs_redactor *r, const char *w, size_t n)
{
    return (cs_kw_lookup(&r->kw, w, n) &
            (list_bit(function_words) | list_bit(titles_clin) | list_bit(titles_other) | list_bit(credentials) |
             list_bit(relatives) | list_bit(facility_words) | list_bit(facility_stops) | list_bit(roles_before))) != 0;
}

int cs_context_init(cs_redactor *r)
{
    r->kwb = (cs_kw_bits){list_bit(function_words), list_bit(titles_clin), list_bit(titles_other), list_bit(credentials),
                      list_bit(weak_credentials), list_bit(roles_before), list_bit(verbs_role), list_bit(verbs_after),
                      list_bit(relatives), list_bit(cs_names_owners), list_bit(cs_names_introducers),
                      list_bit(cs_names_stops), list_bit(eponym_next), list_bit(and_words),
                      list_bit(cs_names_reporting), list_bit(cs_names_groups), list_bit(cs_names_greetings),
                      list_bit(cs_names_contacts), list_bit(cs_names_roles),
                      list_bit(cs_names_cues)};
    return cs_kw_build(&r->kw, kw_lists);
}
