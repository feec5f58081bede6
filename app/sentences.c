/* sentences.c: sentence splitting and model-free ranking (see sentences.h). */
#include "sentences.h"
#include "cs_err.h"
#include "summary.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

size_t cs_count_words(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (is_word_char((unsigned char)text[i]) && (i == 0 || !is_word_char((unsigned char)text[i - 1])))
            n++;
    return n;
}

static const char *const stop_words[] = {
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "with", "is", "are",
    "was", "were", "be", "been", "it", "this", "that", "these", "those", "she", "he", "her",
    "his", "him", "i", "we", "you", "they", "them", "there", "here", "what", "how", "when",
    "do", "does", "did", "have", "has", "had", "not", "no", "yes", "can", "will", "would",
    "could", "should", "going", "get", "got", "go", "about", "some", "any", "all", "if",
    "then", "than", "as", "by", "from", "up", "out", "so", "but", "very", "much", "more", "also",
};

int cs_is_stop_word(const char *w, size_t len)
{
    for (size_t i = 0; i < sizeof stop_words / sizeof *stop_words; i++)
        if (strlen(stop_words[i]) == len && !strncmp(stop_words[i], w, len)) return 1;
    return 0;
}

/* Clinical vocabulary: drug and disease word endings, units and the words
 * notes are made of.  Each sentence gains a little per clinical word (at
 * most three), so findings outrank small talk of the same length. */
static const char *const clinical_suffixes[] = {
    "pril", "sartan", "olol", "statin", "azole", "cillin", "mycin", "floxacin", "dipine",
    "formin", "semide", "itis", "osis", "emia", "oma", "pathy", "algia", NULL};
static const char *const clinical_words[] = {
    "mg", "milligrams", "pain", "exam", "mri", "blood", "pressure", "diabetes", "hypertension",
    "plan", "history", "medication", "medications", "surgery", "symptoms", "swelling",
    "tenderness", "normal", "therapy", "prescribe", "continue", "follow", NULL};

static int is_clinical(const char *w, size_t n)
{
    for (const char *const *c = clinical_words; *c; c++)
        if (strlen(*c) == n && !strncmp(*c, w, n)) return 1;
    if (n < 5) return 0;
    for (const char *const *c = clinical_suffixes; *c; c++) {
        size_t k = strlen(*c);
        if (k < n && !strncmp(w + n - k, *c, k)) return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ the list */

int cs_sentence_list_add(cs_sentence_list *l, const char *text, size_t len,
                         size_t section, cs_speaker speaker)
{
    size_t n;
    char *t = cs_collapse_space(text, len, &n);
    if (!t) return CS_ERR_NOMEM;
    if (!n) { free(t); return CS_OK; }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        cs_sentence *p = realloc(l->items, cap * sizeof *p);
        if (!p) { free(t); return CS_ERR_NOMEM; }
        l->items = p;
        l->cap = cap;
    }
    l->items[l->n++] = (cs_sentence){t, n, section, speaker, cs_count_words(t, n), 0.0};
    return CS_OK;
}

void cs_sentence_list_free(cs_sentence_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->items[i].text);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------ splitting */

static const char *const abbrevs[] = {"dr", "mr", "mrs", "ms", "st", "vs", "no", "approx", "pt", "e.g", "i.e", "etc", "fig", "jr", "sr"};

/* Does the '.' at text[i] end an abbreviation or a one-letter initial? */
static int is_abbrev_dot(const char *text, size_t i)
{
    size_t a = i;
    while (a > 0 && (isalpha((unsigned char)text[a - 1]) || text[a - 1] == '.')) a--;
    size_t n = i - a;
    if (n == 1) return 1;
    for (size_t k = 0; k < sizeof abbrevs / sizeof *abbrevs; k++)
        if (strlen(abbrevs[k]) == n && !strncasecmp(abbrevs[k], text + a, n)) return 1;
    return 0;
}

/* Length of a list marker ("1. ", "2) ", "- ", "* ", "• ") at text[i], or 0. */
static size_t list_marker(const char *text, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && (text[j] == ' ' || text[j] == '\t')) j++;
    if (j < len && (text[j] == '-' || text[j] == '*') && j + 1 < len && text[j + 1] == ' ') return j + 2 - i;
    if (j + 2 < len && !memcmp(text + j, "\xe2\x80\xa2", 3)) return j + 3 - i;
    size_t d = j;
    while (d < len && isdigit((unsigned char)text[d]) && d - j < 3) d++;
    if (d > j && d + 1 < len && (text[d] == '.' || text[d] == ')') && text[d + 1] == ' ') return d + 2 - i;
    return 0;
}

int cs_sentences_split(const char *text, size_t len, size_t section, cs_sentence_list *l)
{
    size_t start = 0, i = 0;
    int rc = CS_OK;
    while (i < len && rc == CS_OK) {
        char c = text[i];
        size_t cut = 0, next = 0;
        if ((c == '.' || c == '?' || c == '!') && (i + 1 == len || isspace((unsigned char)text[i + 1]))) {
            if (c != '.' || !is_abbrev_dot(text, i)) { cut = i + 1; next = i + 1; }
        } else if (c == '\n') {
            size_t j = i + 1;
            while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r')) j++;
            if (j < len && text[j] == '\n') { cut = i; next = j; }
            else if (j < len && list_marker(text, len, i + 1)) { cut = i; next = i + 1; }
        }
        if (cut) {
            size_t a = start + list_marker(text, len, start);
            if (a < cut) rc = cs_sentence_list_add(l, text + a, cut - a, section, CS_SPEAKER_NONE);
            start = next;
            i = next;
            continue;
        }
        i++;
    }
    if (rc == CS_OK && start < len) {
        size_t a = start + list_marker(text, len, start);
        if (a < len) rc = cs_sentence_list_add(l, text + a, len - a, section, CS_SPEAKER_NONE);
    }
    return rc;
}

/* ------------------------------------------------------------ ranking */

typedef struct { const char *w; size_t len, sent; } word_ref;

static int cmp_word_ref(const void *a, const void *b)
{
    const word_ref *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->w, y->w, n);
    if (c) return c;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return x->sent < y->sent ? -1 : x->sent > y->sent;
}

int cs_sentences_score(cs_sentence_list *l)
{
    /* Lower-cased copies, then every content word as (word, sentence). */
    size_t total = 0, n_refs = 0;
    for (size_t i = 0; i < l->n; i++) total += l->items[i].len + 1;
    char *low = malloc(total ? total : 1);
    word_ref *refs = malloc((total ? total : 1) * sizeof *refs);
    unsigned char *clinical = calloc(l->n ? l->n : 1, 1);
    if (!low || !refs || !clinical) { free(low); free(refs); free(clinical); return CS_ERR_NOMEM; }
    size_t off = 0;
    for (size_t i = 0; i < l->n; i++) {
        const cs_sentence *s = &l->items[i];
        char *p = low + off;
        for (size_t k = 0; k < s->len; k++) p[k] = (char)tolower((unsigned char)s->text[k]);
        for (size_t k = 0; k < s->len;) {
            if (!is_word_char((unsigned char)p[k])) { k++; continue; }
            size_t e = k;
            while (e < s->len && is_word_char((unsigned char)p[e])) e++;
            if (!cs_is_stop_word(p + k, e - k)) refs[n_refs++] = (word_ref){p + k, e - k, i};
            if (is_clinical(p + k, e - k) && clinical[i] < 3) clinical[i]++;
            k = e;
        }
        off += s->len + 1;
    }
    qsort(refs, n_refs, sizeof *refs, cmp_word_ref);
    /* Per sentence: number of distinct content words and sum of their
     * document frequency (sentences containing them), capped at 5. */
    double *cent = calloc(l->n ? l->n : 1, sizeof *cent);
    size_t *uniq = calloc(l->n ? l->n : 1, sizeof *uniq);
    size_t *content = calloc(l->n ? l->n : 1, sizeof *content);
    if (!cent || !uniq || !content) {
        free(low); free(refs); free(cent); free(uniq); free(content); free(clinical);
        return CS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n_refs;) {
        size_t j = i, df = 0;
        while (j < n_refs && refs[j].len == refs[i].len && !memcmp(refs[j].w, refs[i].w, refs[i].len)) {
            content[refs[j].sent]++;
            if (j == i || refs[j].sent != refs[j - 1].sent) df++;
            j++;
        }
        for (size_t k = i; k < j; k++) {
            if (k > i && refs[k].sent == refs[k - 1].sent) continue;
            uniq[refs[k].sent]++;
            cent[refs[k].sent] += (double)(df < 5 ? df : 5);
        }
        i = j;
    }
    for (size_t i = 0; i < l->n; i++) {
        cs_sentence *s = &l->items[i];
        if (!s->n_words) { s->score = -9; continue; }
        double dens = (double)content[i] / (double)s->n_words;
        double score = dens + 0.05 * cent[i] / (double)(uniq[i] + 1) + 0.1 * clinical[i];
        if (s->speaker == CS_SPEAKER_CLINICIAN) score += 0.3;
        for (size_t k = 0; k < s->len; k++)
            if (isdigit((unsigned char)s->text[k])) { score += 0.2; break; }
        if (s->text[s->len - 1] == '?') score -= 0.5;
        if (s->n_words < 4) score -= 1.0;
        s->score = score;
    }
    free(low); free(refs); free(cent); free(uniq); free(content); free(clinical);
    return CS_OK;
}

/* qsort is not stable: order by score, then position. */

typedef struct { double score; size_t idx; } ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int cs_sentences_select(const cs_sentence_list *l, size_t budget_words, size_t max_count,
                        unsigned char *pick, size_t *words)
{
    if (words) *words = 0;
    if (l->n) memset(pick, 0, l->n);
    ranked *r = malloc((l->n ? l->n : 1) * sizeof *r);
    if (!r) return CS_ERR_NOMEM;
    for (size_t i = 0; i < l->n; i++) r[i] = (ranked){l->items[i].score, i};
    qsort(r, l->n, sizeof *r, cmp_ranked);
    size_t w = 0;
    for (size_t k = 0; k < l->n; k++) {
        if (budget_words && w >= budget_words) break;
        if (max_count && k >= max_count) break;
        pick[r[k].idx] = 1;
        w += l->items[r[k].idx].n_words;
    }
    free(r);
    if (words) *words = w;
    return CS_OK;
}
