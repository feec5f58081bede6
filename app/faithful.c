/*
 * faithful.c: fact extraction from a summary and lookup in the source (see
 * faithful.h).  A single left-to-right scan of the summary; each fact is
 * looked up by scanning the source, which is fine for documents of a few
 * hundred kilobytes and summaries of a few hundred facts.
 */
#include "faithful.h"
#include "cs_err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int alnum(unsigned char c) { return isalnum(c) != 0; }

/* ------------------------------------------------------------ lexicons */

static const char *const units[] = {
    "mg", "mcg", "g", "kg", "ml", "l", "units", "unit", "iu", "meq", "mmol", "mg/dl", "mmol/l",
    "mmhg", "bpm", "cm", "mm", "lbs", "lb", "%", "mg/kg", "puffs", "puff", "tablets", "tablet",
    "tabs", "tab", "capsules", "capsule", "drops", "liters", "days", "weeks", "months", "years",
    "hours", "times", "pg/ml", "ng/ml", "u/l", NULL};

static const char *const drug_suffixes[] = {
    "pril", "sartan", "olol", "statin", "azole", "cillin", "mycin", "floxacin", "dipine",
    "formin", "gliptin", "glutide", "gliflozin", "semide", "thiazide", "parin", "xaban",
    "gatran", "tidine", "triptan", "setron", "lukast", "tropium", "terol", "sone", "olone",
    "afil", "oxetine", "pramine", "triptyline", "zepam", "zolam", "barbital", "caine", "mab",
    "tinib", "profen", "coxib", "codone", "morphone", "azosin", "sartan", "lamide", "cycline",
    NULL};

static const char *const drugs[] = {
    "aspirin", "insulin", "warfarin", "coumadin", "lasix", "digoxin", "amiodarone", "allopurinol",
    "levothyroxine", "synthroid", "gabapentin", "acetaminophen", "tylenol", "ibuprofen", "advil",
    "motrin", "naproxen", "clopidogrel", "plavix", "nitroglycerin", "lithium", "spironolactone",
    "morphine", "tramadol", "eliquis", "xarelto", "glipizide", "metoprolol", "lisinopril",
    "norvasc", "zoloft", "prozac", "mobic", "meloxicam", "flonase", "zyrtec", "claritin",
    "benadryl", "keflex", "augmentin", "bactrim", "prednisone", "medrol", "humira", "ozempic",
    NULL};

static const char *const dx_suffixes[] = {
    "itis", "osis", "emia", "aemia", "oma", "pathy", "algia", "plasia", "trophy", "rrhea",
    "uria", "penia", "cytosis", "ectasis", "megaly", "plegia", "paresis", NULL};

/* Words that end like a diagnosis but are not one. */
static const char *const dx_stop[] = {"diagnosis", "prognosis", "aroma", "coma", "stoma", "soma", NULL};

static const char *const diagnoses[] = {
    "heart failure", "diabetes", "hypertension", "hypotension", "pneumonia", "fracture",
    "stroke", "sepsis", "asthma", "copd", "cancer", "infarction", "kidney injury",
    "kidney disease", "atrial fibrillation", "embolism", "thrombosis", "depression",
    "anxiety", "dementia", "cirrhosis", "angina", "gout", "migraine", "obesity",
    "hyperlipidemia", "hypothyroidism", "hyperthyroidism", "anemia", "seizure", "epilepsy",
    "tumor", "ulcer", "infection", "reflux", "gerd", "covid", "influenza", "cardiomyopathy",
    "coronary artery disease", "lupus", "psoriasis", "eczema", "hernia", "concussion",
    "sprain", "tear", NULL};

static const char *const months[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", NULL};

static int word_in(const char *w, size_t n, const char *const *set)
{
    for (; *set; set++)
        if (strlen(*set) == n && !strncasecmp(w, *set, n)) return 1;
    return 0;
}

static int ends_with_any(const char *w, size_t n, const char *const *suf, size_t min_len)
{
    if (n < min_len) return 0;
    for (; *suf; suf++) {
        size_t k = strlen(*suf);
        if (k < n && !strncasecmp(w + n - k, *suf, k)) return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ lookups */

/* Whole-word, case-insensitive, whitespace-tolerant phrase search. */
static int source_has_phrase(const char *src, const char *p, size_t n)
{
    for (const char *s = src; *s; s++) {
        if (s > src && alnum((unsigned char)s[-1]) && alnum((unsigned char)p[0])) continue;
        size_t i = 0;
        const char *q = s;
        while (i < n && *q) {
            if (isspace((unsigned char)p[i])) {
                if (!isspace((unsigned char)*q)) break;
                while (i < n && isspace((unsigned char)p[i])) i++;
                while (isspace((unsigned char)*q)) q++;
                continue;
            }
            if (isspace((unsigned char)*q) && ispunct((unsigned char)p[i])) { /* "13th , 1982" */
                while (isspace((unsigned char)*q)) q++;
                continue;
            }
            if (tolower((unsigned char)p[i]) != tolower((unsigned char)*q)) break;
            i++;
            q++;
        }
        if (i == n && !(alnum((unsigned char)p[n - 1]) && alnum((unsigned char)*q))) return 1;
    }
    return 0;
}

/* Copy a number without thousands separators into dst (cap 32). */
static size_t norm_number(const char *p, size_t n, char *dst)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < 31; i++)
        if (p[i] != ',') dst[k++] = p[i];
    dst[k] = '\0';
    return k;
}

/* Length of the number at p: digits with inner ',' or '.' before digits. */
static size_t number_len(const char *p)
{
    size_t i = 0;
    while (isdigit((unsigned char)p[i]) || ((p[i] == ',' || p[i] == '.') && isdigit((unsigned char)p[i + 1])))
        i++;
    return i;
}

/* Length of a unit at p (after optional spaces counted in *gap), or 0. */
static size_t unit_len(const char *p, size_t *gap)
{
    size_t g = 0;
    while (p[g] == ' ') g++;
    if (g > 1) return 0;
    size_t n = 0;
    while (p[g + n] && (isalpha((unsigned char)p[g + n]) || p[g + n] == '/' || p[g + n] == '%')) n++;
    while (n && p[g + n - 1] == '/') n--;
    if (n && word_in(p + g, n, units)) { *gap = g; return n; }
    return 0;
}

/* Is the number num (normalized), optionally followed by unit u, in src? */
static int source_has_number(const char *src, const char *num, const char *u, size_t un)
{
    for (const char *s = src; *s; s++) {
        if (!isdigit((unsigned char)*s) || (s > src && alnum((unsigned char)s[-1]))) continue;
        if (s > src + 1 && s[-1] == '.' && isdigit((unsigned char)s[-2])) continue; /* decimals */
        size_t n = number_len(s);
        char buf[32];
        norm_number(s, n, buf);
        if (!strcmp(buf, num)) {
            if (!u) return 1;
            size_t gap, k = unit_len(s + n, &gap);
            if (k == un && !strncasecmp(s + n + gap, u, un)) return 1;
        }
        s += n - 1;
    }
    return 0;
}

/* ------------------------------------------------------------ flags */

static int add_flag(cs_flag_list *l, cs_fact_kind kind, const char *p, size_t n)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].kind == kind && strlen(l->items[i].text) == n && !strncasecmp(l->items[i].text, p, n))
            return CS_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        cs_flag *q = realloc(l->items, cap * sizeof *q);
        if (!q) return CS_ERR_NOMEM;
        l->items = q;
        l->cap = cap;
    }
    char *t = malloc(n + 1);
    if (!t) return CS_ERR_NOMEM;
    memcpy(t, p, n);
    t[n] = '\0';
    l->items[l->n++] = (cs_flag){kind, t};
    return CS_OK;
}

void cs_flag_list_free(cs_flag_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->items[i].text);
    free(l->items);
    memset(l, 0, sizeof *l);
}

const char *cs_fact_kind_name(cs_fact_kind k)
{
    switch (k) {
    case CS_FACT_NUMBER: return "number";
    case CS_FACT_DOSE: return "dose";
    case CS_FACT_DATE: return "date";
    case CS_FACT_MEDICATION: return "medication";
    case CS_FACT_DIAGNOSIS: return "diagnosis";
    }
    return "unknown";
}

/* A list marker "1." / "2)" at the start of a line is not a fact. */
static int is_list_marker(const char *sum, const char *p, size_t n)
{
    const char *b = p;
    while (b > sum && (b[-1] == ' ' || b[-1] == '\t')) b--;
    if (b > sum && b[-1] != '\n') return 0;
    return (p[n] == '.' || p[n] == ')') && (p[n + 1] == ' ' || p[n + 1] == '\0');
}

int cs_faithful_check(const char *summary, const char *source, cs_flag_list *out)
{
    if (!summary || !source || !out) return CS_ERR_INVALID;
    int rc = CS_OK;
    const char *p = summary;
    while (*p && rc == CS_OK) {
        unsigned char c = (unsigned char)*p;
        int boundary = p == summary || !alnum((unsigned char)p[-1]);
        if (isdigit(c) && boundary) {
            size_t n = number_len(p);
            /* date-like: 03/14/2025, 2019-05-01, 3/14 */
            if ((p[n] == '/' || p[n] == '-') && isdigit((unsigned char)p[n + 1])) {
                size_t d = n;
                while (isdigit((unsigned char)p[d]) || ((p[d] == '/' || p[d] == '-') && isdigit((unsigned char)p[d + 1]))) d++;
                out->checked++;
                if (!source_has_phrase(source, p, d)) rc = add_flag(out, CS_FACT_DATE, p, d);
                p += d;
                continue;
            }
            if (is_list_marker(summary, p, n)) { p += n; continue; }
            char num[32];
            norm_number(p, n, num);
            size_t gap, un = unit_len(p + n, &gap);
            out->checked++;
            if (un) {
                if (!source_has_number(source, num, p + n + gap, un))
                    rc = add_flag(out, CS_FACT_DOSE, p, n + gap + un);
                p += n + gap + un;
            } else {
                if (!source_has_number(source, num, NULL, 0)) rc = add_flag(out, CS_FACT_NUMBER, p, n);
                p += n;
            }
            continue;
        }
        if (isalpha(c) && boundary) {
            size_t n = 0;
            while (isalpha((unsigned char)p[n]) || (p[n] == '-' && isalpha((unsigned char)p[n + 1]))) n++;
            /* "March 14, 2025", "Jan 2019" */
            if (word_in(p, n, months) && p[n] == ' ' && isdigit((unsigned char)p[n + 1])) {
                size_t d = n + 1;
                while (isdigit((unsigned char)p[d])) d++;
                if (!strncasecmp(p + d, "st", 2) || !strncasecmp(p + d, "nd", 2) ||
                    !strncasecmp(p + d, "rd", 2) || !strncasecmp(p + d, "th", 2))
                    d += 2;
                if (p[d] == ',' && p[d + 1] == ' ' && isdigit((unsigned char)p[d + 2])) {
                    d += 2;
                    while (isdigit((unsigned char)p[d])) d++;
                }
                out->checked++;
                if (!source_has_phrase(source, p, d)) rc = add_flag(out, CS_FACT_DATE, p, d);
                p += d;
                continue;
            }
            size_t phrase = 0;
            for (const char *const *dx = diagnoses; *dx && !phrase; dx++) {
                size_t k = strlen(*dx);
                if (!strncasecmp(p, *dx, k) && !alnum((unsigned char)p[k])) phrase = k;
            }
            if (phrase) {
                out->checked++;
                if (!source_has_phrase(source, p, phrase)) rc = add_flag(out, CS_FACT_DIAGNOSIS, p, phrase);
                p += phrase;
                continue;
            }
            cs_fact_kind kind = CS_FACT_NUMBER;
            if (word_in(p, n, drugs) || ends_with_any(p, n, drug_suffixes, 6)) kind = CS_FACT_MEDICATION;
            else if (ends_with_any(p, n, dx_suffixes, 6) && !word_in(p, n, dx_stop)) kind = CS_FACT_DIAGNOSIS;
            if (kind != CS_FACT_NUMBER) {
                out->checked++;
                if (!source_has_phrase(source, p, n)) rc = add_flag(out, kind, p, n);
            }
            p += n;
            continue;
        }
        p++;
    }
    return rc;
}
