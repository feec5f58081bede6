/*
 * redact_names.c: person names the general context rules leave, read from
 * the same tokens (redact_tokens.h) after them.
 *
 * Many first names are English words ("Will", "Hope", "Rose", "Bill"), and
 * the dictionary rules rightly ignore them alone.  A name's context makes
 * them names again:
 *   titles         "Dr. Will,", "Dr. x aware", "DR. B NOTIFIED"
 *   relatives      "son Will, ...", "HCP is son Will"
 *   roles, verbs   "Resident Will aware", "per Rose", "paged Bill"
 *   talking        "spoke with Hope", "d/w Smith" ("c/w", "s/p" are no
 *                  such context: consistent with, status post)
 *   the relation   "Bill, pt's son,", "Joy, the patient's niece"
 *   credentials    "Rose RN aware", "Smith, John MD"
 *   headers        "SMITH, JOHN A" alone on a line or after a label
 *   pairs          "Will Smith", "John Doe" in mixed-case text
 *   initials       "nsg (d. renna and j. o'brien)"
 *   families       "the Romero family", "KEEP ROMERO FAMILY AWARE"
 *   phones         "Lana Ortiz cell# 555-0100"
 *   contacts       "Anne is family contact", "Ora is the HCP"
 *   signatures     a first name alone on its line or after the last sentence
 * A word written as a name is Title Case in mixed-case text; in text
 * written all in one case it needs a stronger cue (a word after it that
 * only follows people: "aware", "called", a credential).
 */
#include "redact_tokens.h"

#include "cs_err.h"

#include <string.h>

/* Words for whom the relative is: "Bill, pt's son". */
const char *const cs_names_owners[] = {"pt's", "pts", "patient's", "his", "her", "their", "the", NULL};
/* Words after a surname that only follow people: "KESSLER AWARE". */
const char *const cs_names_reporting[] = {"aware", "notified", "paged", "called", "informed", "updated", "saw", "examined",
                                          "evaluated", "recommends", "recommended", "wants", "feels", "rounded",
                                          "said", "states", "spoke", "agrees", "agreed", "rounding", NULL};
/* Words before a bracketed or listed set of names: "FAMILY (KATE AND PAT)". */
const char *const cs_names_groups[] = {"family", "parents", "children", "kids", "visitors", "drs", "doctors", "physicians",
                                       "attendings", "residents", "nurses", "cc", NULL};
/* Greetings before a name in a conversation: "hi , martha ." */
const char *const cs_names_greetings[] = {"hi", "hello", "hey", "morning", "afternoon", "evening", "thanks", "bye",
                                          "goodbye", "welcome", NULL};
/* More people by their job, before their name: "HO Gunderson", "PCA Marisol". */
const char *const cs_names_roles[] = {"ho", "pca", "pct", "tech", "technician", "sitter", "aide", "student", "interpreter",
                                      "translator", "doula", "midwife", "paramedic", "medic", "transporter",
                                      "volunteer", NULL};
/* Words that say a name follows: "a man named X", "Baby Boy X". */
const char *const cs_names_cues[] = {"named", "nicknamed", "baby", NULL};
/* Labels of the person to call: "Emergency contact: Tomas". */
const char *const cs_names_contacts[] = {"contact", "kin", "nok", "poa", "contacts", NULL};
/* Talking to someone: "spoke with", "talked to". */
const char *const cs_names_introducers[] = {"spoke", "spoken", "speaking", "talked", "talking", "discussed",
                                            "met", "meeting", "conferred", "chatted", "conversation", NULL};
/* Words that are surnames too but, after a role verb or before a relation,
 * name a service, a place or a month: "notified House officer", "per Case
 * Management", "called Blood Bank", "by May". */
const char *const cs_names_stops[] = {
    "house", "case", "bank", "day", "night", "team", "staff", "service", "unit", "floor", "desk", "office",
    "officer", "covering", "charge", "primary", "family", "hospital", "clinic", "center", "centre", "memorial", "rehab",
    "institute", "hospice", "infirmary",
    "street", "avenue", "road", "general", "medical", "health", "care", "lab", "labs", "blood", "social", "work",
    "worker", "admitting", "security", "police", "front", "main", "call", "hall", "ward", "home", "east", "west",
    "north", "south", "mercy", "union", "park", "may", "june", "april", "august", NULL};

/* ------------------------------------------------------------ word tests */

static int word_is(const char *t, const tok *k, const char *w) { return k->word && lower_eq(t + k->s, k->e - k->s, w); }
static int digit_tok(const char *t, const tok *k) { return !k->word && t[k->s] >= '0' && t[k->s] <= '9'; }
static size_t len_of(const tok *k) { return k->e - k->s; }

/* Words that never are a person's name in these rules. */
static int barred(const tok *k, const cs_kw_bits *b)
{
    return (k->kw & (b->function | b->titles_clin | b->titles_other | b->relatives | b->credentials |
                     b->roles_before | b->introducers | b->owners)) != 0;
}

/* A word that can be (part of) a person's name once the context says a
 * person follows: unknown or name-only words in any case, and name words
 * that are also English words when written Title Case in mixed-case text. */
static int name_word(const tok *k, const cs_kw_bits *b)
{
    if (!k->word || len_of(k) < 2 || barred(k, b) || (k->kw & b->name_stops) || (k->dict & CS_W_MEDICAL)) return 0;
    if (!(k->dict & NOTNAME)) return k->cap || k->upper || (k->lower && (k->dict & NAMEF) && len_of(k) >= 3);
    return (k->dict & NAMEF) && k->cap && !k->caps_line;
}

/* A name word by the dictionary alone: a first name or surname that is no
 * English or medical word ("Renna", "O'Brien"). */
static int strong_name(const tok *k, const cs_kw_bits *b)
{
    return k->word && len_of(k) >= 3 && (k->dict & NAMEF) && !(k->dict & NOTNAME) && !barred(k, b);
}

/* v[q] is a first name that is also an English or function word ("Will",
 * "Hope", "Bill") written as a name, and the word after it does not make
 * it a verb or a noun ("will see", "Hope to", "by May 3"). */
static int worded_first(const char *t, const tok *v, size_t n, size_t q, const cs_kw_bits *b)
{
    const tok *k = &v[q];
    if (!k->word || len_of(k) < 3 || !(k->dict & CS_W_FIRST) || (k->dict & (CS_W_MEDICAL | CS_W_EPONYM)) ||
        (k->kw & (b->titles_clin | b->titles_other | b->relatives | b->credentials | b->roles_before | b->name_stops)))
        return 0; /* months too: "by May", "in June" */
    int mixed = k->cap && !k->caps_line;
    if (!mixed && !k->upper && !(k->lower && !k->caps_line && !(k->kw & b->function))) return 0;
    if (q + 1 >= n || v[q + 1].nl_before) return 1;
    const tok *x = &v[q + 1];
    if (!x->word) return !digit_tok(t, x) && !cs_tok_punct(t, x, '/') && !cs_tok_punct(t, x, '-');
    if (x->kw & (b->verbs_after | b->credentials)) return 1;
    if (!mixed) return 0;
    return word_is(t, x, "re") || (x->kw & b->and_words) || word_is(t, x, "from") || word_is(t, x, "of") ||
           (x->cap && (x->dict & NAMEF) && !(x->dict & CS_W_MEDICAL));
}

/* The place and date rules ran first: "seen by Baltimore Rehab", "notes
 * from Beth Israel" stay places, "Sun Jan 01" a date. */
static int is_place(const cs_span_list *out, size_t s, size_t e)
{
    for (size_t i = 0; i < out->n; i++) {
        const cs_phi_span *p = &out->items[i];
        if (p->start < e && p->end > s &&
            (p->category == CS_PHI_LOCATION || p->category == CS_PHI_FACILITY || p->category == CS_PHI_DATE))
            return 1;
    }
    return 0;
}

static int add_span(cs_span_list *out, size_t s, size_t e, cs_phi_role role)
{
    if (is_place(out, s, e)) return CS_OK;
    return cs_spans_add(out, s, e, CS_PHI_NAME, CS_SRC_CONTEXT, role);
}

/* What may follow a name that is also a word: no noun it qualifies ("by
 * Pulse oximetry", "per Case management"), but punctuation, a small word,
 * a reporting word, a credential or another name. */
static int person_next(const char *t, const tok *v, size_t n, size_t z, const cs_kw_bits *b)
{
    if (z >= n || v[z].nl_before) return 1;
    const tok *x = &v[z];
    if (!x->word) return !digit_tok(t, x) && !cs_tok_punct(t, x, '-') && !cs_tok_punct(t, x, '/');
    return (x->kw & (b->function | b->verbs_after | b->reporting | b->credentials)) || word_is(t, x, "re") ||
           word_is(t, x, "about") || word_is(t, x, "regarding") || word_is(t, x, "who") ||
           (x->cap && (x->dict & NAMEF) && !(x->dict & CS_W_MEDICAL));
}

static int add(cs_span_list *out, const tok *k, cs_phi_role role)
{
    return add_span(out, k->s, k->e, role);
}

/* An initial with its dot, or one name word. */
static size_t add_part(const char *t, const tok *v, size_t n, size_t q, cs_phi_role role, cs_span_list *out, int *rc)
{
    if (cs_tok_initial_dot(t, v, n, q)) {
        *rc = add_span(out, v[q].s, v[q + 1].e, role);
        return 2;
    }
    *rc = add(out, &v[q], role);
    return 1;
}

/* A person's name at v[q] after a context that announces one: the first
 * word by the rules above, then up to two more (surname, initials). */
static size_t take_person(const char *t, const tok *v, size_t n, size_t q, cs_phi_role role, const cs_kw_bits *b,
                          cs_span_list *out, int *rc)
{
    if (q >= n || v[q].nl_before) return 0;
    const tok *k = &v[q];
    int first = cs_tok_initial_dot(t, v, n, q) || worded_first(t, v, n, q, b) ||
                (k->caps_line ? strong_name(k, b) : (name_word(k, b) && ((k->dict & NAMEF) || k->cap)));
    if (!first) return 0;
    size_t z = q + add_part(t, v, n, q, role, out, rc);
    for (int more = 0; more < 2 && z < n && !v[z].nl_before && *rc == CS_OK; more++) {
        if (cs_tok_initial_dot(t, v, n, z)) { z += add_part(t, v, n, z, role, out, rc); continue; }
        int eponym = (v[z].dict & CS_W_EPONYM) && !(v[z].dict & (CS_W_COMMON | CS_W_MEDICAL)) && len_of(&v[z]) >= 3 &&
                     !barred(&v[z], b); /* "Kathleen Murphy" */
        if (!(name_word(&v[z], b) || eponym) || v[z].upper != v[q].upper ||
            (v[z].caps_line && !strong_name(&v[z], b) && !eponym))
            break;
        if (z + 1 < n && (v[z + 1].kw & b->eponym_next)) break;
        z += add_part(t, v, n, z, role, out, rc);
    }
    return z - q;
}

/* ------------------------------------------------------------ the rules */

/* Name particles: "van", "de la", "von der". */
static int is_particle(const char *t, const tok *k)
{
    static const char *const p[] = {"van", "von", "de", "der", "den", "del", "della", "la", "le", "di", "da", "du",
                                    "ten", "ter", "dos", "das", "el", "al", "bin", "ibn", NULL};
    if (!k->word || len_of(k) > 5) return 0;
    for (size_t i = 0; p[i]; i++)
        if (lower_eq(t + k->s, len_of(k), p[i])) return 1;
    return 0;
}

/* "Dr. Will,", "Dr. x aware", "MS S. CARE": after a title, a first name
 * that is also a word, or a lone letter. */
static int after_title(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    size_t q = i + 1;
    int dot = q < n && cs_tok_punct(t, &v[q], '.');
    q += dot;
    if (q >= n || v[q].nl_before || !v[q].word) return CS_OK;
    cs_phi_role role = (v[i].kw & b->titles_clin) ? CS_ROLE_CLINICIAN : CS_ROLE_UNKNOWN;
    if (v[i].lower && lower_eq(t + v[i].s, len_of(&v[i]), "miss")) return CS_OK; /* "to miss a meeting" */
    if (is_particle(t, &v[q])) { /* "Dr. van der Berg", "DR. DE LA CRUZ": the particles and the name after them */
        size_t z = q;
        while (z < n && z < q + 3 && !v[z].nl_before && is_particle(t, &v[z])) z++;
        if (z < n && z > q && !v[z].nl_before && v[z].word && len_of(&v[z]) >= 2 && (v[z].cap || v[z].upper) &&
            !barred(&v[z], b) && !(v[z].dict & CS_W_MEDICAL))
            return add_span(out, v[q].s, v[z].e, role);
        return CS_OK;
    }
    if (len_of(&v[q]) == 1) {
        if ((t[v[q].s] == 'a' || t[v[q].s] == 'i') && v[i].lower) return CS_OK; /* an article, a pronoun */
        /* "Dr. A.line" or "Dr. B.": not here; "MS" (mental status) only with "S." */
        size_t z = q + 1;
        int ms = lower_eq(t + v[i].s, len_of(&v[i]), "ms") && !v[i].cap;
        if (z < n && v[z].s == v[q].e && !cs_tok_punct(t, &v[z], '.') && !cs_tok_punct(t, &v[z], ',')) return CS_OK;
        if (ms && !(dot || cs_tok_initial_dot(t, v, n, q))) return CS_OK;
        if (z < n && cs_tok_punct(t, &v[z], '.') && z + 1 < n && v[z + 1].s == v[z].e && v[z + 1].word) return CS_OK;
        if (ms && (v[q].lower || !v[i].caps_line)) return CS_OK;
        size_t e = z < n && cs_tok_punct(t, &v[z], '.') && v[z].s == v[q].e ? v[z].e : v[q].e;
        return add_span(out, v[q].s, e, role);
    }
    if (dot && v[i].upper && v[i].e - v[i].s == 2 && strong_name(&v[q], b) && (v[q].dict & CS_W_LAST)) /* "MS. GUNDERSON" */
        return add(out, &v[q], CS_ROLE_UNKNOWN);
    if ((v[q].kw & b->function) && worded_first(t, v, n, q, b)) {
        int rc = CS_OK;
        take_person(t, v, n, q, role, b, out, &rc);
        return rc;
    }
    return CS_OK;
}

/* "son Will, ...": the relative rule takes every first name but those that
 * are function words. */
static int after_relative(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    size_t q = i + 1;
    while (q < n && q < i + 3 && (cs_tok_punct(t, &v[q], ',') || cs_tok_punct(t, &v[q], ':') || cs_tok_punct(t, &v[q], '(')))
        q++;
    if (q >= n || v[q].nl_before || !(v[q].kw & b->function) || !worded_first(t, v, n, q, b)) return CS_OK;
    int rc = CS_OK;
    take_person(t, v, n, q, CS_ROLE_RELATIVE, b, out, &rc);
    return rc;
}

/* "Resident Will aware", "per Rose", "paged Bill", "spoke with Hope",
 * "d/w Smith": the person the role or verb announces. */
static int after_verb(const char *t, const tok *v, size_t n, size_t q, int verb, const cs_kw_bits *b, cs_span_list *out)
{
    if (q < n && (cs_tok_punct(t, &v[q], '.') || cs_tok_punct(t, &v[q], '(')) && !verb) q++; /* "fellow (Gunderson)" */
    if (q >= n || v[q].nl_before || !v[q].word) return CS_OK;
    const tok *k = &v[q];
    if ((k->kw & b->function) && !worded_first(t, v, n, q, b)) return CS_OK;
    if (!(k->kw & b->function) && !strong_name(k, b) && !cs_tok_initial_dot(t, v, n, q) &&
        !((k->dict & NAMEF) && k->cap && !k->caps_line && name_word(k, b) &&
          (!(k->dict & CS_W_COMMON) || person_next(t, v, n, q + 1, b))) &&
        !(!verb && worded_first(t, v, n, q, b)))
        return CS_OK;
    if (q + 1 < n && (v[q + 1].kw & b->eponym_next)) return CS_OK; /* "per Swan Ganz" */
    if (q + 1 < n && !v[q + 1].nl_before && (v[q + 1].kw & b->name_stops) && (v[q + 1].cap || v[q + 1].upper) &&
        !(k->kw & b->function))  /* "seen by Baltimore Rehab": a facility's name */
        return is_place(out, k->s, k->e) ? CS_OK : cs_spans_add(out, k->s, k->e, CS_PHI_FACILITY, CS_SRC_CONTEXT, CS_ROLE_UNKNOWN);
    if (q + 1 < n && digit_tok(t, &v[q + 1]) && !v[q + 1].nl_before) return CS_OK; /* "by May 3" */
    int rc = CS_OK;
    take_person(t, v, n, q, CS_ROLE_CLINICIAN, b, out, &rc);
    return rc;
}

/* "Bill, pt's son", "Joy, the patient's niece", "Dawn, daughter,",
 * "Rose is her sister": the name before the relation. */
static int before_relative(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    if (i < 2 || v[i].nl_before) return CS_OK;
    size_t q = i;
    int owner = 0;
    if (v[q - 1].kw & b->owners) {
        q--, owner = 1;
        if (q > 0 && !v[q].nl_before && word_is(t, &v[q - 1], "the")) q--;
    }
    if (q < 2 || v[q].nl_before) return CS_OK;
    int comma = cs_tok_punct(t, &v[q - 1], ',');
    int is = owner && word_is(t, &v[q - 1], "is"); /* "Rose is her sister" */
    size_t z = i + 1;
    int closed = z >= n || v[z].nl_before || cs_tok_punct(t, &v[z], ',') || cs_tok_punct(t, &v[z], ')') ||
                 cs_tok_punct(t, &v[z], '.') || cs_tok_punct(t, &v[z], ';');
    if (!(comma || is) || (!owner && !closed)) return CS_OK;
    size_t e = q - 1, a = e;
    int any = 0;
    while (a > 0 && e - a < 3 && !v[a].nl_before) {
        const tok *p = &v[a - 1];
        int ok = p->caps_line ? strong_name(p, b) || (p->upper && (p->dict & CS_W_FIRST) && !(p->dict & CS_W_MEDICAL) && !barred(p, b))
                              : name_word(p, b) && (p->cap || p->upper);
        if (!ok) break;
        any |= (p->dict & NAMEF) || !p->dict;
        a--;
    }
    if (a == e || !any) return CS_OK;
    /* the name starts a clause: not "Plan discussed with Smith, his son" */
    if (a > 0 && !v[a].nl_before && v[a - 1].word && !(v[a - 1].kw & (b->introducers | b->verbs_role | b->and_words)) &&
        !word_is(t, &v[a - 1], "with") && !word_is(t, &v[a - 1], "to"))
        return CS_OK;
    int rc = CS_OK;
    for (size_t z2 = a; z2 < e && rc == CS_OK; z2++) rc = add(out, &v[z2], CS_ROLE_RELATIVE);
    return rc;
}

static int first_name(const tok *k, const cs_kw_bits *b);

/* A first name no English word ("Plan is") or a surname; a word no list
 * knows is as often a misspelt relation ("Grandaughter is HCP"). */
static int contact_name(const tok *p, const cs_kw_bits *b)
{
    return (first_name(p, b) && !(p->dict & CS_W_COMMON)) || (strong_name(p, b) && !p->lower);
}

/* "Anne is family contact", "Oriana Vey is the HCP": a name, "is", then a
 * relation or contact word without an owner (before_relative takes "is
 * her sister"). */
static int named_as_contact(const char *t, const tok *v, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    size_t q = i;
    if (q > 0 && !v[q].nl_before && (word_is(t, &v[q - 1], "family") || word_is(t, &v[q - 1], "primary"))) q--;
    if (q > 0 && !v[q].nl_before && word_is(t, &v[q - 1], "the")) q--;
    if (q < 2 || v[q].nl_before || v[q - 1].nl_before || !word_is(t, &v[q - 1], "is")) return CS_OK;
    size_t a = q - 2;
    const tok *p = &v[a];
    if (!contact_name(p, b)) return CS_OK;
    if (a > 0 && !p->nl_before && contact_name(&v[a - 1], b) && v[a - 1].upper == p->upper) a--; /* "Anne Vey" */
    int rc = CS_OK;
    for (size_t z = a; z < q - 1 && rc == CS_OK; z++) rc = add(out, &v[z], CS_ROLE_RELATIVE);
    return rc;
}

/* "Marisol's husband", "GUNDERSON'S DAUGHTER": a name owning a relative. */
static int owner_of_relative(const char *t, const tok *v, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    if (i < 1 || v[i].nl_before) return CS_OK;
    const tok *p = &v[i - 1];
    if (!p->word || len_of(p) < 4 || t[p->e - 2] != '\'' || (t[p->e - 1] | 32) != 's' || (p->kw & b->relatives))
        return CS_OK;
    if (!(strong_name(p, b) || (name_word(p, b) && ((p->dict & NAMEF) || (!p->dict && p->cap && !p->caps_line)))))
        return CS_OK;
    return add_span(out, p->s, p->e - 2, CS_ROLE_UNKNOWN);
}

/* "SMITH, JOHN A" alone on a line, after a label, or before a credential:
 * a surname, a comma and a first name. */
static int last_comma_first(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    const tok *l = &v[i];
    if (i + 2 >= n || !cs_tok_punct(t, &v[i + 1], ',') || v[i + 1].nl_before || v[i + 2].nl_before) return CS_OK;
    const tok *f = &v[i + 2];
    /* after a role or a label, a first name the lists lack: "MD Khan, Samir" */
    int labelled = i > 0 && !l->nl_before &&
                   (cs_tok_punct(t, &v[i - 1], ':') || (v[i - 1].kw & (b->roles_before | b->credentials | b->titles_clin)));
    if (!(l->dict & CS_W_LAST) || !((f->dict & CS_W_FIRST) || (labelled && !f->dict && len_of(f) >= 3)) ||
        ((l->dict | f->dict) & CS_W_MEDICAL) || barred(l, b) || barred(f, b) || len_of(l) < 2 || len_of(f) < 2 ||
        !((l->upper && f->upper) || (l->cap && f->cap)))
        return CS_OK;
    if (!(i == 0 || l->nl_before || labelled || cs_tok_punct(t, &v[i - 1], ';'))) return CS_OK;
    size_t z = i + 3;
    if (z < n && !v[z].nl_before && v[z].initial) z += (z + 1 < n && cs_tok_punct(t, &v[z + 1], '.')) ? 2 : 1;
    if (!(z >= n || v[z].nl_before || (v[z].kw & b->credentials) || cs_tok_punct(t, &v[z], '(') ||
          cs_tok_punct(t, &v[z], ';') || (cs_tok_punct(t, &v[z], ',') && z + 1 < n && (v[z + 1].kw & b->credentials))))
        return CS_OK;
    int rc = add(out, l, CS_ROLE_UNKNOWN);
    for (size_t q = i + 2; q < z && rc == CS_OK; q++)
        if (v[q].word) rc = add_span(out, v[q].s, q + 1 < z && !v[q + 1].word ? v[q + 1].e : v[q].e, CS_ROLE_UNKNOWN);
    return rc;
}

/* "Rose RN aware", "per Joy RN": one first name before a credential. */
static int first_before_credential(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    (void)n;
    if (i < 1 || (v[i].kw & b->weak_credentials) || !(v[i].upper || v[i].cap) || v[i].nl_before) return CS_OK;
    const tok *p = &v[i - 1];
    if (!p->word || len_of(p) < 3 || !(p->dict & CS_W_FIRST) || (p->dict & (CS_W_MEDICAL | CS_W_EPONYM)) || barred(p, b))
        return CS_OK;
    if (!((p->cap && !p->caps_line) || (p->upper && !(p->dict & CS_W_COMMON)))) return CS_OK;
    if (!(i < 2 || p->nl_before || !v[i - 2].word || (v[i - 2].kw & (b->verbs_role | b->and_words)))) return CS_OK;
    (void)t;
    return add(out, p, CS_ROLE_CLINICIAN);
}

/* "JM RN", "- km rn": a signer's initials, alone before a credential that
 * ends the line. */
static int initials_before_credential(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    if (i < 1 || v[i].nl_before || !(i + 1 >= n || v[i + 1].nl_before)) return CS_OK;
    const tok *p = &v[i - 1];
    if (!p->word || len_of(p) < 2 || len_of(p) > 3 || (p->dict & (CS_W_COMMON | CS_W_MEDICAL)) || p->kw ||
        !((p->upper && v[i].upper) || (p->lower && v[i].lower)))
        return CS_OK;
    (void)b;
    if (!(p->nl_before || i == 1 || cs_tok_punct(t, &v[i - 2], '-') || cs_tok_punct(t, &v[i - 2], '/'))) return CS_OK;
    return add(out, p, CS_ROLE_CLINICIAN);
}

/* "Will Smith", "John Doe": a first name and a surname, both Title Case in
 * mixed-case text, where one of them is also a word the dictionary rules
 * skip (a function word, an eponym, a medical abbreviation). */
static int first_last_pair(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    const tok *k = &v[i], *l = &v[i + 1];
    if (i + 1 < n && l->initial && !l->nl_before && !(k->kw & b->function) && !(k->dict & CS_W_PLACE) &&
        (t[l->s] != 'A' && t[l->s] != 'I') &&
        (i + 2 >= n || v[i + 2].nl_before || (v[i + 2].s > l->e && !digit_tok(t, &v[i + 2])) ||
         cs_tok_punct(t, &v[i + 2], ',') || cs_tok_punct(t, &v[i + 2], '?') || cs_tok_punct(t, &v[i + 2], ')')) &&
        !(i + 2 < n && v[i + 2].word && v[i + 2].cap)) { /* "pt is John D seen", not "John B Smith" (the rules before) */
        int rc = add(out, k, CS_ROLE_UNKNOWN);
        return rc == CS_OK ? add(out, l, CS_ROLE_UNKNOWN) : rc;
    }
    if (i + 1 >= n || l->nl_before || !l->word || !l->cap || len_of(l) < 2 || !(l->dict & CS_W_LAST) || barred(l, b) ||
        (l->kw & b->name_stops))
        return CS_OK;
    if (i + 2 < n && !v[i + 2].nl_before && (v[i + 2].kw & b->eponym_next)) return CS_OK; /* "Will Parkinson disease" */
    int fn = (k->kw & b->function) != 0;
    if ((l->dict & CS_W_MEDICAL) && fn) return CS_OK; /* "John Doe", not "Will DOE" */
    if (fn) {
        int sent_start = i == 0 || k->nl_before || cs_tok_punct(t, &v[i - 1], '.') || cs_tok_punct(t, &v[i - 1], ':') ||
                         cs_tok_punct(t, &v[i - 1], '?') || cs_tok_punct(t, &v[i - 1], '!');
        if (sent_start) return CS_OK; /* "Will Call back" */
    }
    int rc = add(out, k, CS_ROLE_UNKNOWN);
    if (rc == CS_OK) rc = add(out, l, CS_ROLE_UNKNOWN);
    return rc;
}

/* "(d. renna and j. o'brien)": a lower-case initial and a surname in
 * lower-case text ("e. coli", "s. aureus" are medical words). */
static int lower_initial(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    if (i + 2 >= n || !cs_tok_punct(t, &v[i + 1], '.') || v[i + 1].s != v[i].e || v[i + 2].s == v[i + 1].e) return CS_OK;
    if (i > 0 && v[i - 1].e == v[i].s && !cs_tok_punct(t, &v[i - 1], '(')) return CS_OK; /* "p.o.", "q.i.d." */
    const tok *w = &v[i + 2];
    if (w->nl_before || !w->word || !w->lower || w->caps_line || len_of(w) < 3 || barred(w, b) || (w->kw & b->name_stops) ||
        !(strong_name(w, b) || !w->dict))
        return CS_OK;
    if (i + 3 < n && v[i + 3].s == w->e && cs_tok_punct(t, &v[i + 3], '.') && i + 4 < n && v[i + 4].s == v[i + 3].e)
        return CS_OK;
    int rc = add_span(out, v[i].s, v[i + 1].e, CS_ROLE_UNKNOWN);
    if (rc == CS_OK) rc = add(out, w, CS_ROLE_UNKNOWN);
    return rc;
}

/* "the Romero family", "KEEP ROMERO FAMILY AWARE". */
static int family_name(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    const tok *k = &v[i];
    if (i + 1 >= n || v[i + 1].nl_before || !word_is(t, &v[i + 1], "family")) return CS_OK;
    if (!(strong_name(k, b) && (k->dict & CS_W_LAST)) &&
        !(k->cap && !k->caps_line && (k->dict & CS_W_LAST) && name_word(k, b) && !(k->dict & CS_W_EPONYM)))
        return CS_OK;
    return add(out, k, CS_ROLE_PATIENT);
}

/* A word that can be a surname before a reporting word: listed as a name
 * or an eponym (no eponym is "aware") and no English or medical word, or
 * unknown and Title Case. */
static int reporting_name(const tok *k, const cs_kw_bits *b)
{
    int listed = (k->dict & (NAMEF | CS_W_EPONYM)) && !(k->dict & (CS_W_COMMON | CS_W_MEDICAL));
    int unknown = !k->dict && k->cap && !k->caps_line;
    return k->word && len_of(k) >= 3 && !barred(k, b) && !(k->kw & b->name_stops) && (listed || unknown);
}

/* "KESSLER AWARE", "Okafor notified", "SMYTHE/OKAFOR AWARE": a surname
 * before a word that only follows people. */
static int surname_reporting(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    if (!reporting_name(&v[i], b)) return CS_OK;
    size_t z = i + 1;
    int pair = z + 2 < n && !v[z + 1].nl_before && reporting_name(&v[z + 1], b) &&
               ((cs_tok_punct(t, &v[z], '/') && v[z].s == v[i].e && v[z + 1].s == v[z].e) || (v[z].kw & b->and_words));
    if (pair) z += 2;
    if (z >= n || v[z].nl_before) return CS_OK;
    int visit = z + 1 < n && (word_is(t, &v[z], "in") || word_is(t, &v[z], "here")) && word_is(t, &v[z + 1], "to");
    if (!(v[z].kw & b->reporting) && !visit) return CS_OK; /* "Okafor and Lindqvist in to see pt" */
    int rc = add(out, &v[i], CS_ROLE_UNKNOWN);
    if (rc == CS_OK && pair) rc = add(out, &v[i + 2], CS_ROLE_UNKNOWN);
    return rc;
}

/* "SEEN BY DRS ABERNATHY, OKAFOR AND LINDQVIST", "FAMILY (KATE AND PAT)":
 * the names listed after a group of people. */
static int group_list(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    int cc = (i == 0 || v[i].nl_before) && word_is(t, &v[i], "cc"); /* "cc: Okafor, Lindqvist" */
    int clin = cc || (v[i].kw & b->titles_clin) || word_is(t, &v[i], "doctors") || word_is(t, &v[i], "physicians") ||
               word_is(t, &v[i], "attendings") || word_is(t, &v[i], "residents") || word_is(t, &v[i], "nurses");
    size_t q = i + 1;
    if (q < n && cs_tok_punct(t, &v[q], '.') && clin) q++;
    int bracket = q < n && (cs_tok_punct(t, &v[q], '(') || cs_tok_punct(t, &v[q], ':'));
    if (!clin && !bracket) return CS_OK;
    q += bracket;
    int rc = CS_OK;
    for (int items = 0; items < 6 && q < n && !v[q].nl_before && rc == CS_OK; items++) {
        const tok *k = &v[q];
        if (cs_tok_initial_dot(t, v, n, q)) { q += 2; continue; }
        int ok = clin ? (k->word && len_of(k) >= 2 && !barred(k, b) && !(k->kw & b->name_stops) &&
                         (!(k->dict & (CS_W_MEDICAL | CS_W_COMMON)) || ((k->dict & NAMEF) && !(k->dict & CS_W_MEDICAL) && k->cap && !k->caps_line)))
                      : (k->word && len_of(k) >= 3 && !barred(k, b) && !(k->kw & b->name_stops) && (k->dict & CS_W_FIRST) &&
                         !(k->dict & (CS_W_MEDICAL | CS_W_EPONYM)) && (!(k->dict & CS_W_COMMON) || (k->cap && !k->caps_line)));
        if (!ok) break;
        rc = add(out, k, clin ? CS_ROLE_CLINICIAN : CS_ROLE_RELATIVE);
        q++;
        if (q < n && !v[q].nl_before && v[q].word && name_word(&v[q], b) && !(v[q].kw & b->and_words) && v[q].upper == k->upper)
            rc = rc == CS_OK ? add(out, &v[q], clin ? CS_ROLE_CLINICIAN : CS_ROLE_RELATIVE) : rc, q++; /* a surname */
        if (q + 1 >= n || v[q].nl_before) break;
        if (cs_tok_punct(t, &v[q], ',') || cs_tok_punct(t, &v[q], '/') || cs_tok_punct(t, &v[q], '&') || (v[q].kw & b->and_words))
            q++;
        else
            break;
        if (q < n && (v[q].kw & b->and_words)) q++; /* ", and" */
    }
    return rc;
}

/* A first name no list knows as a word, in any case, or one that is a
 * word written Title Case in mixed-case text. */
static int first_name(const tok *k, const cs_kw_bits *b)
{
    if (!k->word || len_of(k) < 3 || !(k->dict & CS_W_FIRST) || (k->dict & CS_W_MEDICAL) || barred(k, b) ||
        (k->kw & b->name_stops))
        return 0;
    return !(k->dict & NOTNAME) || (k->cap && !k->caps_line && !(k->dict & CS_W_EPONYM));
}

/* "hi , martha .", "good morning, Roger!": a name after a greeting. */
static int after_greeting(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    size_t q = i + 1;
    if (q < n && cs_tok_punct(t, &v[q], ',')) q++;
    if (q >= n || v[q].nl_before || !first_name(&v[q], b)) return CS_OK;
    size_t z = q + 1;
    if (z < n && !v[z].nl_before && strong_name(&v[z], b) && v[z].upper == v[q].upper) z++; /* a surname */
    if (!(z >= n || v[z].nl_before || cs_tok_punct(t, &v[z], ',') || cs_tok_punct(t, &v[z], '.') ||
          cs_tok_punct(t, &v[z], '?') || cs_tok_punct(t, &v[z], '!')))
        return CS_OK;
    int rc = CS_OK;
    for (size_t w = q; w < z && rc == CS_OK; w++) rc = add(out, &v[w], CS_ROLE_PATIENT);
    return rc;
}

/* v[q] starts an age: "50-year-old", "45 yo", "45yo", "22-month-old". */
static int is_age(const char *t, const tok *v, size_t n, size_t q)
{
    if (!digit_tok(t, &v[q])) return 0;
    size_t d = v[q].s;
    while (d < v[q].e && t[d] >= '0' && t[d] <= '9') d++;
    if (d < v[q].e) return (t[d] | 32) == 'y' || (t[d] | 32) == 'm'; /* "45yo" */
    size_t z = q + 1;
    if (z < n && cs_tok_punct(t, &v[z], '-')) z++;
    if (z >= n || !v[z].word) return 0;
    char c = (char)(t[v[z].s] | 32);
    return (c == 'y' && (len_of(&v[z]) <= 3 || lower_eq(t + v[z].s, 4, "year"))) || /* "yo", "yrs", "year-old" */
           (len_of(&v[z]) >= 5 && (lower_eq(t + v[z].s, 5, "month") || lower_eq(t + v[z].s, 4, "week")));
}

/* "martha is a 50-year-old female", "John Okafor is a 45 yo man": a name
 * the note introduces with an age. */
static int introduced_with_age(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    if (!first_name(&v[i], b)) return CS_OK;
    size_t z = i + 1;
    if (z < n && !v[z].nl_before && strong_name(&v[z], b) && v[z].upper == v[i].upper) z++;
    if (z + 2 >= n || v[z + 2].nl_before || !(word_is(t, &v[z], "is") || word_is(t, &v[z], "was")) ||
        !(word_is(t, &v[z + 1], "a") || word_is(t, &v[z + 1], "an")) || !is_age(t, v, n, z + 2))
        return CS_OK;
    int rc = CS_OK;
    for (size_t w = i; w < z && rc == CS_OK; w++) rc = add(out, &v[w], CS_ROLE_PATIENT);
    return rc;
}

/* "pt J.S.", "Mr. R.T.": initials written together, after a word that
 * announces a person ("U.S.", "M.D." alone are no one). */
static int compact_initials(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    const tok *p = &v[i];
    if (!(p->kw & (b->titles_clin | b->titles_other | b->relatives)) && !word_is(t, p, "pt") && !word_is(t, p, "patient"))
        return CS_OK;
    size_t q = i + 1;
    if (q < n && cs_tok_punct(t, &v[q], '.') && !v[q].nl_before) q++;
    size_t a = q, letters = 0;
    while (q + 1 < n && v[q].initial && !v[q].nl_before && cs_tok_punct(t, &v[q + 1], '.') && v[q + 1].s == v[q].e &&
           (q == a || v[q].s == v[q - 1].e) && letters < 3)
        q += 2, letters++;
    if (letters < 2 || (q < n && v[q].s == v[q - 1].e && v[q].word)) return CS_OK;
    return add_span(out, v[a].s, v[q - 1].e, CS_ROLE_UNKNOWN);
}

/* A word written as a name before a record number or a phone: Title Case
 * (or capitals and a name word), no English word unless a Title Case name. */
static int record_name(const tok *p, const cs_kw_bits *b)
{
    return p->word && len_of(p) >= 2 && !barred(p, b) && !(p->kw & b->name_stops) && !(p->dict & CS_W_MEDICAL) &&
           (p->cap || (p->upper && (p->dict & NAMEF) && !(p->dict & CS_W_COMMON))) &&
           (!(p->dict & CS_W_COMMON) || ((p->dict & NAMEF) && p->cap && !p->caps_line));
}

/* "Lana Ortiz cell# 555-0100", "Kofi home: (555) 010-0199": the person a
 * phone number is given for, one to three name words before the label. */
static int before_phone(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    static const char *const labels[] = {"cell", "cellphone", "home", "work", "mobile", "phone", "tel", "ph", "pager", "beeper", NULL};
    size_t z = i;
    while (z < n && z - i < 3 && (z == i || !v[z].nl_before) && record_name(&v[z], b)) z++;
    if (z == i || z + 1 >= n || v[z].nl_before || !v[z].word) return CS_OK;
    int label = 0;
    for (size_t k = 0; labels[k] && !label; k++) label = word_is(t, &v[z], labels[k]);
    if (!label) return CS_OK;
    size_t q = z + 1;
    while (q < n && q - z <= 2 && (cs_tok_punct(t, &v[q], '#') || cs_tok_punct(t, &v[q], ':'))) q++;
    if (q >= n || v[q].nl_before || !digit_tok(t, &v[q]) || v[q].e - v[q].s < 3) return CS_OK;
    int rc = CS_OK;
    for (size_t w = i; w < z && rc == CS_OK; w++) rc = add(out, &v[w], CS_ROLE_UNKNOWN);
    return rc;
}

/* "Priya (MRN 12345)", "Ahmed, DOB 1/2/1950": the name a record number or
 * birth date follows. */
static int before_record(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    size_t z = i + 1; /* v[i] is "(" or "," */
    if (z >= n || v[z].nl_before || !(word_is(t, &v[z], "mrn") || word_is(t, &v[z], "dob"))) return CS_OK;
    size_t a = i;
    while (a > 0 && i - a < 3 && !v[a].nl_before && record_name(&v[a - 1], b)) a--;
    int rc = CS_OK;
    for (size_t q = a; q < i && rc == CS_OK; q++) rc = add(out, &v[q], CS_ROLE_PATIENT);
    return rc;
}

/* "KATHLEEN (KATE)": a nickname in brackets after a name already found. */
static int nickname(const char *t, const tok *v, size_t n, size_t i, const cs_kw_bits *b, cs_span_list *out)
{
    if (i + 2 >= n || !cs_tok_punct(t, &v[i + 2], ')') || v[i + 1].nl_before || !first_name(&v[i + 1], b)) return CS_OK;
    size_t e = v[i - 1].e;
    for (size_t q = 0; q < out->n; q++)
        if (out->items[q].category == CS_PHI_NAME && out->items[q].end == e) return add(out, &v[i + 1], out->items[q].role);
    return CS_OK;
}

int cs_names_find(const cs_redactor *r, const char *t, const tok *v, size_t n, cs_span_list *out)
{
    const cs_kw_bits b = r->kwb;
    int rc = CS_OK;
    for (size_t i = 0; i < n && rc == CS_OK; i++) {
        const tok *k = &v[i];
        uint32_t kw = k->kw;
        size_t kl = len_of(k);
        /* Most tokens start no rule: punctuation but '(' and ',', and plain
         * English or medical words.  One test, without branches inside,
         * keeps this pass cheap (it runs on every token of every note). */
        int skip = k->word ? (!kw & (kl > 1) & ((k->dict & (CS_W_COMMON | CS_W_MEDICAL)) != 0) & ((k->dict & NAMEF) == 0))
                           : ((t[k->s] != '(') & (t[k->s] != ','));
        if (skip) continue;
        if (!k->word) {
            if (i > 0 && (cs_tok_punct(t, k, '(') || cs_tok_punct(t, k, ',')) && v[i - 1].word)
                rc = before_record(t, v, n, i, &b, out);
            if (rc == CS_OK && i > 0 && cs_tok_punct(t, k, '(') && v[i - 1].word && i + 1 < n && v[i + 1].word)
                rc = nickname(t, v, n, i, &b, out);
            continue;
        }
        if (kw) {
            if (kw & (b.titles_clin | b.titles_other)) rc = after_title(t, v, n, i, &b, out);
            if (rc == CS_OK && (kw & b.relatives)) {
                rc = after_relative(t, v, n, i, &b, out);
                if (rc == CS_OK) rc = before_relative(t, v, n, i, &b, out);
                if (rc == CS_OK) rc = owner_of_relative(t, v, i, &b, out);
            }
            if (rc == CS_OK && (kw & (b.relatives | b.contacts)) && i >= 2) rc = named_as_contact(t, v, i, &b, out);
            if (rc == CS_OK && (kw & (b.roles_before | b.roles))) {
                int label = i + 1 < n && cs_tok_punct(t, &v[i + 1], ':') && !(kw & b.verbs_role); /* "Attending: Gunderson" */
                rc = after_verb(t, v, n, i + 1 + label, (kw & b.verbs_role) != 0, &b, out);
            }
            if (rc == CS_OK && (kw & b.credentials)) rc = initials_before_credential(t, v, n, i, &b, out);
            if (rc == CS_OK && (kw & b.introducers) && i + 2 < n &&
                (word_is(t, &v[i + 1], "with") || word_is(t, &v[i + 1], "to")))
                rc = after_verb(t, v, n, i + 2, 1, &b, out);
            else if (rc == CS_OK && (kw & b.introducers) && i + 3 < n && word_is(t, &v[i + 1], "w") &&
                     cs_tok_punct(t, &v[i + 2], '/') && v[i + 2].s == v[i + 1].e) /* "spoke w/ Smith" */
                rc = after_verb(t, v, n, i + 3, 1, &b, out);
            if (rc == CS_OK && (kw & b.groups)) rc = group_list(t, v, n, i, &b, out);
            if (rc == CS_OK && (kw & b.greetings)) rc = after_greeting(t, v, n, i, &b, out);
            if (rc == CS_OK && (kw & b.contacts) && i + 2 < n && cs_tok_punct(t, &v[i + 1], ':')) {
                take_person(t, v, n, i + 2, CS_ROLE_RELATIVE, &b, out, &rc); /* "Next of kin: Marisol" */
            }
            if (rc == CS_OK && (kw & b.credentials)) rc = first_before_credential(t, v, n, i, &b, out);
        }
        if (rc != CS_OK) break;
        if (len_of(k) == 1) {
            /* "d/w Smith": discussed with; "s/w": spoke with, or social worker */
            if (((t[k->s] | 32) == 'd' || (t[k->s] | 32) == 's') && i + 3 < n && cs_tok_punct(t, &v[i + 1], '/') && v[i + 1].s == k->e &&
                v[i + 2].s == v[i + 1].e && len_of(&v[i + 2]) == 1 && (t[v[i + 2].s] | 32) == 'w' &&
                !(v[i + 3].kw & (b.titles_clin | b.titles_other)))
                rc = after_verb(t, v, n, i + 3, 1, &b, out);
            else if (k->lower)
                rc = lower_initial(t, v, n, i, &b, out);
            continue;
        }
        if (i + 1 >= n || v[i + 1].nl_before) {
            /* a first name alone on its line, or after the last sentence:
             * a signature ("...\nSUSAN", "... 1400U/HR. SUSAN") */
            int alone = i == 0 || k->nl_before || (i + 1 >= n && cs_tok_punct(t, &v[i - 1], '.'));
            if (alone && (k->dict & CS_W_FIRST) && !(k->dict & NOTNAME) && !kw && kl >= 3)
                rc = add(out, k, CS_ROLE_CLINICIAN);
            continue;
        }
        const tok *x = &v[i + 1]; /* cheap tests of the next token keep this loop fast */
        if (x->initial || (cs_tok_punct(t, x, '.') && i + 2 < n && v[i + 2].initial))
            rc = compact_initials(t, v, n, i, &b, out);
        if (rc == CS_OK && (kw & b.cues) && word_is(t, k, "baby") && i + 2 < n &&
            (word_is(t, x, "boy") || word_is(t, x, "girl")) && !v[i + 2].nl_before && name_word(&v[i + 2], &b))
            rc = add(out, &v[i + 2], CS_ROLE_PATIENT); /* "Baby Boy Smith": a newborn's name */
        if ((k->dict & CS_W_LAST) && !x->word) rc = last_comma_first(t, v, n, i, &b, out);
        if (rc == CS_OK && (k->dict & CS_W_LAST) && len_of(x) == 6) rc = family_name(t, v, n, i, &b, out);
        if (rc == CS_OK && (x->kw || !x->word) && !(k->dict & (CS_W_COMMON | CS_W_MEDICAL)) && len_of(k) >= 3)
            rc = surname_reporting(t, v, n, i, &b, out);
        if (rc == CS_OK && (kw & b.cues) && x->word && x->cap && !x->caps_line &&
            (word_is(t, k, "named") || word_is(t, k, "nicknamed")) && len_of(x) >= 2 && !barred(x, &b) &&
            !(x->dict & CS_W_MEDICAL)) /* "a man named Zebulon" */
            rc = add(out, x, CS_ROLE_UNKNOWN);
        if (rc == CS_OK && (k->cap || k->upper) && x->word && i + 2 < n && (i == 0 || !record_name(&v[i - 1], &b)))
            rc = before_phone(t, v, n, i, &b, out);
        if (rc == CS_OK && (k->dict & CS_W_FIRST) && i + 3 < n) rc = introduced_with_age(t, v, n, i, &b, out);
        if (rc == CS_OK && (k->dict & CS_W_FIRST) && k->cap && !k->caps_line && !(k->dict & (CS_W_MEDICAL | CS_W_EPONYM)) &&
            len_of(k) >= 3)
            rc = first_last_pair(t, v, n, i, &b, out);
    }
    return rc;
}

void cs_names_trim_possessive(const char *t, cs_span_list *out, size_t from)
{
    for (size_t i = from; i < out->n; i++) {
        cs_phi_span *p = &out->items[i];
        if (p->category == CS_PHI_NAME && p->end - p->start > 3 && t[p->end - 2] == '\'' && (t[p->end - 1] | 32) == 's')
            p->end -= 2;
    }
}

unsigned cs_names_apostrophe(const cs_dict *d, const char *w, size_t n)
{
    char buf[40];
    if (n < 4 || n > sizeof buf || w[1] != '\'') return 0;
    buf[0] = w[0];
    memcpy(buf + 1, w + 2, n - 2);
    size_t m = n - 1;
    if (m > 2 && buf[m - 2] == '\'' && (buf[m - 1] | 32) == 's') m -= 2; /* "O'Brien's" */
    return cs_dict_lookup(d, buf, m) & CS_W_LAST;
}
