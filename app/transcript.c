/*
 * transcript.c: conversation turns -> third-person note sentences (see
 * transcript.h).  Works on a token array per turn: each pass (contractions,
 * phrases, fillers, repeats, pronouns) rewrites the array in place; tokens
 * point into the source or at static replacement words.
 */
#include "transcript.h"
#include "cs_buf.h"
#include "cs_err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct { const char *p; size_t n; } tok;

typedef struct {
    tok *t;
    size_t n, cap;
} tok_list;

static int push(tok_list *l, const char *p, size_t n)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        tok *q = realloc(l->t, cap * sizeof *q);
        if (!q) return CS_ERR_NOMEM;
        l->t = q;
        l->cap = cap;
    }
    l->t[l->n++] = (tok){p, n};
    return CS_OK;
}

static int push_s(tok_list *l, const char *s) { return push(l, s, strlen(s)); }

static int is(const tok *t, const char *w)
{
    return t->n == strlen(w) && !strncasecmp(t->p, w, t->n);
}

static int in_set(const tok *t, const char *const *set)
{
    for (; *set; set++)
        if (is(t, *set)) return 1;
    return 0;
}

static int is_punct_char(char c) { return c && strchr(",.?!;:\"()", c) != NULL; }
static int is_punct(const tok *t) { return t->n == 1 && is_punct_char(t->p[0]); }
static int is_end(const tok *t) { return t->n == 1 && strchr(".?!", t->p[0]); }

/* ------------------------------------------------------- tokenizing */

static const char *const is_stems[] = {"it", "that", "there", "what", "he", "she", "here", "who", "where", "this", NULL};

/* Split one whitespace-free chunk into punctuation and word tokens, with
 * contractions expanded. */
static int split_chunk(tok_list *l, const char *p, size_t n)
{
    int rc = CS_OK;
    size_t a = 0, b = n;
    while (a < b && is_punct_char(p[a]) && rc == CS_OK) rc = push(l, p + a++, 1);
    size_t tail = b;
    while (tail > a && is_punct_char(p[tail - 1])) tail--;
    if (rc == CS_OK && tail > a) {
        const char *w = p + a;
        size_t wn = tail - a;
        const char *ap = memchr(w, '\'', wn);
        if (wn >= 3 && !strncasecmp(w + wn - 3, "n't", 3)) {
            tok stem = {w, wn - 3};
            if (is(&stem, "ca")) rc = push_s(l, "can");
            else if (is(&stem, "wo")) rc = push_s(l, "will");
            else if (stem.n) rc = push(l, stem.p, stem.n);
            if (rc == CS_OK) rc = push_s(l, "not");
        } else if (ap) {
            tok stem = {w, (size_t)(ap - w)};
            const char *suf = ap + 1;
            size_t sn = wn - stem.n - 1;
            static const struct { const char *suf, *exp; } ex[] = {
                {"m", "am"}, {"re", "are"}, {"ve", "have"}, {"ll", "will"}, {"d", "would"}};
            const char *exp = NULL;
            for (size_t k = 0; k < sizeof ex / sizeof *ex; k++)
                if (strlen(ex[k].suf) == sn && !strncasecmp(suf, ex[k].suf, sn)) exp = ex[k].exp;
            if (sn == 1 && (*suf == 's' || *suf == 'S')) {
                if (in_set(&stem, is_stems)) exp = "is";
                else if (is(&stem, "let")) exp = "us";
            }
            if (exp) {
                if (stem.n) rc = push(l, stem.p, stem.n);
                if (rc == CS_OK) rc = push_s(l, exp);
            } else {
                rc = push(l, w, wn);
            }
        } else {
            rc = push(l, w, wn);
        }
    }
    for (size_t k = tail; k < b && rc == CS_OK; k++) rc = push(l, p + k, 1);
    return rc;
}

static int tokenize(const char *text, size_t len, tok_list *l)
{
    int rc = CS_OK;
    for (size_t i = 0; i < len && rc == CS_OK;) {
        if (isspace((unsigned char)text[i])) { i++; continue; }
        size_t e = i;
        while (e < len && !isspace((unsigned char)text[e])) e++;
        rc = split_chunk(l, text + i, e - i);
        i = e;
    }
    return rc;
}

/* ------------------------------------------------------- rewriting */

static const char *const fillers[] = {
    "um", "uh", "uhm", "umm", "hmm", "mm", "mhm", "okay", "ok", "alright", "yeah", "yep", "yup",
    "sure", "oh", "just", "really", "actually", "basically", NULL};

/* Fillers only at the start of a clause ("well , ..." but "doing well"). */
static const char *const clause_fillers[] = {"well", "like", "so", "now", NULL};

/* Phrases: two tokens -> replacement (NULL second word: drop both). */
static const struct { const char *a, *b, *r1, *r2; } phrases[] = {
    {"gon", "na", "going", "to"}, {"wan", "na", "want", "to"}, {"got", "ta", "have", "to"},
    {"you", "know", NULL, NULL}, {"i", "mean", NULL, NULL},
    {"kind", "of", NULL, NULL}, {"sort", "of", NULL, NULL},
};

static const struct { const char *w, *r1, *r2; } singles[] = {
    {"gonna", "going", "to"}, {"wanna", "want", "to"}, {"gotta", "have", "to"},
    {"n't", "not", NULL}, {"'m", "am", NULL}, {"'re", "are", NULL}, {"'ve", "have", NULL},
    {"'ll", "will", NULL}, {"ca", "can", NULL}, {"wo", "will", NULL},
};

static int normalize(const tok_list *in, tok_list *out)
{
    int rc = CS_OK;
    for (size_t i = 0; i < in->n && rc == CS_OK; i++) {
        const tok *t = &in->t[i];
        int done = 0;
        if (i + 1 < in->n) {
            for (size_t k = 0; k < sizeof phrases / sizeof *phrases && !done; k++) {
                if (is(t, phrases[k].a) && is(&in->t[i + 1], phrases[k].b)) {
                    if (phrases[k].r1) {
                        rc = push_s(out, phrases[k].r1);
                        if (rc == CS_OK) rc = push_s(out, phrases[k].r2);
                    }
                    i++;
                    done = 1;
                }
            }
        }
        for (size_t k = 0; k < sizeof singles / sizeof *singles && !done; k++) {
            if (is(t, singles[k].w)) {
                /* "ca"/"wo" only before "not" */
                if ((is(t, "ca") || is(t, "wo")) && !(i + 1 < in->n && (is(&in->t[i + 1], "not") || is(&in->t[i + 1], "n't"))))
                    continue;
                rc = push_s(out, singles[k].r1);
                if (rc == CS_OK && singles[k].r2) rc = push_s(out, singles[k].r2);
                done = 1;
            }
        }
        if (done) continue;
        if (in_set(t, fillers)) continue;
        if (in_set(t, clause_fillers) && (out->n == 0 || is_punct(&out->t[out->n - 1]))) continue;
        if (out->n && out->t[out->n - 1].n == t->n && !strncasecmp(out->t[out->n - 1].p, t->p, t->n))
            continue; /* stutter: "i i", ", ," */
        rc = push(out, t->p, t->n);
    }
    return rc;
}

typedef struct { const char *subj, *poss, *obj, *refl; } pronouns;

static const char *const subj_verbs[] = {
    "am", "are", "were", "was", "have", "had", "do", "did", "can", "could", "should", "will",
    "would", "might", "may", "need", "want", "feel", "felt", "get", "got", "take", "took",
    "mentioned", "said", "noticed", "think", "know", "see", "go", "went", "started", "stopped",
    "tried", "use", "used", "come", "came", NULL};

/* Rewrite the person of pronouns for one turn, from in to out. */
static int reperson(const tok_list *in, cs_speaker spk, const pronouns *pr, tok_list *out)
{
    int rc = CS_OK;
    const char *me = spk == CS_SPEAKER_PATIENT ? "i" : spk == CS_SPEAKER_CLINICIAN ? "you" : NULL;
    for (size_t i = 0; i < in->n && rc == CS_OK; i++) {
        const tok *t = &in->t[i];
        const tok *nx = i + 1 < in->n ? &in->t[i + 1] : NULL;
        if (!me) { rc = push(out, t->p, t->n); continue; }
        /* questions: "are you" -> "is she", "have you" -> "has she" */
        if (nx && is(nx, me)) {
            static const struct { const char *v, *r; } inv[] = {
                {"are", "is"}, {"am", "is"}, {"have", "has"}, {"do", "does"}, {"were", "was"}, {"did", "did"}};
            size_t k = 0;
            while (k < sizeof inv / sizeof *inv && !is(t, inv[k].v)) k++;
            if (k < sizeof inv / sizeof *inv) {
                rc = push_s(out, inv[k].r);
                if (rc == CS_OK) rc = push_s(out, pr->subj);
                i++;
                continue;
            }
        }
        if (is(t, me)) {
            if (nx && (is(nx, "am") || is(nx, "are"))) { rc = push_s(out, pr->subj); if (!rc) rc = push_s(out, "is"); i++; continue; }
            if (nx && is(nx, "have")) { rc = push_s(out, pr->subj); if (!rc) rc = push_s(out, "has"); i++; continue; }
            if (nx && is(nx, "were") && spk == CS_SPEAKER_CLINICIAN) { rc = push_s(out, pr->subj); if (!rc) rc = push_s(out, "was"); i++; continue; }
            if (nx && is(nx, "do")) { /* "you do have" -> "she does have" */
                rc = push_s(out, pr->subj);
                if (!rc) rc = push_s(out, "does");
                i++;
                continue;
            }
            int subject = spk == CS_SPEAKER_PATIENT || i == 0 || is_punct(&in->t[i - 1]) || (nx && in_set(nx, subj_verbs));
            rc = push_s(out, subject ? pr->subj : pr->obj);
            continue;
        }
        if (spk == CS_SPEAKER_PATIENT) {
            if (is(t, "my")) { rc = push_s(out, pr->poss); continue; }
            if (is(t, "me")) { rc = push_s(out, pr->obj); continue; }
            if (is(t, "myself")) { rc = push_s(out, pr->refl); continue; }
        } else {
            if (is(t, "your")) { rc = push_s(out, pr->poss); continue; }
            if (is(t, "yourself")) { rc = push_s(out, pr->refl); continue; }
        }
        rc = push(out, t->p, t->n);
    }
    return rc;
}

/* ------------------------------------------------------- sentences */

static const char *const connectors[] = {"so", "and", "but", "now", "then", NULL};

static int emit_sentences(const tok_list *l, size_t section, cs_speaker spk, cs_sentence_list *out)
{
    cs_buf b = {0};
    int rc = CS_OK;
    size_t i = 0;
    while (i < l->n && rc == CS_OK) {
        size_t e = i;
        while (e < l->n && !is_end(&l->t[e])) e++;
        size_t stop = e < l->n ? e + 1 : e;
        /* strip leading punctuation and connectors */
        size_t a = i;
        while (a < e && (is_punct(&l->t[a]) || in_set(&l->t[a], connectors))) a++;
        if (a < e && !is(&l->t[a], "hey")) {
            cs_buf_clear(&b);
            for (size_t k = a; k < stop && rc == CS_OK; k++) {
                const tok *t = &l->t[k];
                if (b.len && !is_punct(t)) rc = cs_buf_putc(&b, ' ');
                if (rc == CS_OK) rc = cs_buf_append(&b, t->p, t->n);
            }
            if (rc == CS_OK && b.len) {
                b.data[0] = (char)toupper((unsigned char)b.data[0]);
                rc = cs_sentence_list_add(out, b.data, b.len, section, spk);
            }
        }
        i = stop;
    }
    cs_buf_free(&b);
    return rc;
}

/* ------------------------------------------------------- turns */

/* Speaker tag at the start of a line: "[doctor]" -> clinician, ... ; 0 if none. */
static size_t speaker_tag(const char *line, size_t n, cs_speaker *spk)
{
    if (n < 3 || line[0] != '[') return 0;
    const char *close = memchr(line, ']', n < 40 ? n : 40);
    if (!close) return 0;
    size_t tn = (size_t)(close - line) - 1;
    const char *name = line + 1;
    if ((tn == 6 && !strncasecmp(name, "doctor", 6)) || (tn == 9 && !strncasecmp(name, "clinician", 9)) ||
        (tn == 5 && !strncasecmp(name, "nurse", 5)))
        *spk = CS_SPEAKER_CLINICIAN;
    else if (tn == 7 && !strncasecmp(name, "patient", 7))
        *spk = CS_SPEAKER_PATIENT;
    else
        *spk = CS_SPEAKER_OTHER;
    return (size_t)(close - line) + 1;
}

int cs_is_transcript(const char *text, size_t len)
{
    size_t head = len < 4000 ? len : 4000;
    for (size_t i = 0; i < head; i++) {
        if (i && text[i - 1] != '\n') continue;
        cs_speaker s;
        if (speaker_tag(text + i, head - i, &s) && s != CS_SPEAKER_OTHER) return 1;
    }
    return 0;
}

static void choose_pronouns(const char *text, size_t len, pronouns *pr)
{
    /* How the patient is described ("a 62-year-old male", "Mrs.") weighs
     * more than pronouns, which may be about anyone. */
    static const char *const fem[] = {"she", "her", "hers", "herself", NULL};
    static const char *const mal[] = {"he", "his", "him", "himself", NULL};
    static const char *const fem_strong[] = {"female", "woman", "lady", "mrs", "ms", "miss", NULL};
    static const char *const mal_strong[] = {"male", "man", "gentleman", "mr", NULL};
    size_t f = 0, m = 0;
    for (size_t i = 0; i < len;) {
        if (!isalpha((unsigned char)text[i])) { i++; continue; }
        size_t e = i;
        while (e < len && isalpha((unsigned char)text[e])) e++;
        tok t = {text + i, e - i};
        if (in_set(&t, fem)) f++;
        else if (in_set(&t, mal)) m++;
        else if (in_set(&t, fem_strong)) f += 5;
        else if (in_set(&t, mal_strong)) m += 5;
        i = e;
    }
    if (f == 0 && m == 0) *pr = (pronouns){"the patient", "the patient's", "the patient", "the patient"};
    else if (f >= m) *pr = (pronouns){"she", "her", "her", "herself"};
    else *pr = (pronouns){"he", "his", "him", "himself"};
}

static int flush_turn(const char *p, size_t n, cs_speaker spk, const pronouns *pr,
                      size_t section, cs_sentence_list *out)
{
    tok_list raw = {0}, norm = {0}, third = {0};
    int rc = tokenize(p, n, &raw);
    if (rc == CS_OK) rc = normalize(&raw, &norm);
    if (rc == CS_OK) rc = reperson(&norm, spk, pr, &third);
    if (rc == CS_OK) rc = emit_sentences(&third, section, spk, out);
    free(raw.t);
    free(norm.t);
    free(third.t);
    return rc;
}

int cs_transcript_sentences(const char *text, size_t len, size_t section, cs_sentence_list *l)
{
    pronouns pr;
    choose_pronouns(text, len, &pr);
    int rc = CS_OK;
    size_t turn_start = 0, turn_end = 0;
    cs_speaker spk = CS_SPEAKER_OTHER;
    int open = 0;
    for (size_t i = 0; i < len && rc == CS_OK;) {
        size_t e = i;
        while (e < len && text[e] != '\n') e++;
        cs_speaker s;
        size_t tag = speaker_tag(text + i, e - i, &s);
        if (tag) {
            if (open) rc = flush_turn(text + turn_start, turn_end - turn_start, spk, &pr, section, l);
            spk = s;
            turn_start = i + tag;
            open = 1;
        } else if (!open) {
            turn_start = i;
            spk = CS_SPEAKER_OTHER;
            open = 1;
        }
        turn_end = e;
        i = e < len ? e + 1 : e;
    }
    if (rc == CS_OK && open) rc = flush_turn(text + turn_start, turn_end - turn_start, spk, &pr, section, l);
    return rc;
}
